"""Pages (tabs) of the main window beside Panels, one module each."""
