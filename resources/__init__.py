"""Files shipped with StepDesk: protocol profiles, fonts and icons."""

from pathlib import Path

RESOURCES_DIR = Path(__file__).resolve().parent
PROFILES_DIR = RESOURCES_DIR / "profiles"
FONTS_DIR = RESOURCES_DIR / "fonts"
