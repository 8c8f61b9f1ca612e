"""The app's dialogs. Each asks; none changes study data itself (the caller does that)."""
