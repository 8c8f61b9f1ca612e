"""The main window: its layout, menus, status bar, keys and the project it shows."""
