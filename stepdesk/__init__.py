"""StepDesk core: domain model, protocol rules, timescales, persistence, services and CLI.

Nothing in this package imports PySide6 or reportlab; the command-line entry point imports
``ui`` and ``reports`` lazily, inside the commands that need them.
"""

__version__ = "0.1.0"
APP_NAME = "StepDesk"
