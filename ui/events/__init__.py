"""The event table: one row per event of the open pass, editable."""
