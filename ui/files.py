"""Writing a file the user chose (run on the operations worker, see :mod:`ui.ops`)."""

from __future__ import annotations

from pathlib import Path

from stepdesk.errors import StepDeskError


def write_pdf(path: Path, data: bytes) -> None:
    """Write beside ``path``, then rename: a half-written PDF never replaces a good one.

    Raises:
        StepDeskError: the folder is missing or not writable, or the disk is full; the
            message names the file and the fix.
    """
    try:
        partial = path.with_name(path.name + ".part")
        partial.write_bytes(data)
        partial.replace(path)
    except OSError as error:
        raise StepDeskError(
            f"Could not write {path}: {error.strerror or error}. Choose another folder."
        ) from None
