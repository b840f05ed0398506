"""Pages of the main window beside Panels: one module each, added in MainWindow._build_pages."""
