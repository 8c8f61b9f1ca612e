"""Files of other tools in and out: BORIS, ELAN, GSEQ SDS and tidy spreadsheets.

Import: :func:`import_file` (readers :func:`read_boris`, :func:`read_eaf`, tidy CSV/XLSX)
checks a whole file and writes it in one batch per pass, or raises :class:`InteropError`
listing every problem with its place. Videos that are not found are stored as provisional;
:func:`events_with_frame_status` says which events' frames are provisional and
:func:`fill_frames` links the videos later. Export: :func:`write_boris`, :func:`write_eaf`,
:func:`write_sds` over read-only passes (registered as ``attune export`` formats).
"""

from coder.interop.boris_read import read_boris
from coder.interop.boris_write import write_boris
from coder.interop.eaf_read import read_eaf
from coder.interop.eaf_write import write_eaf
from coder.interop.errors import InteropError
from coder.interop.frames import FillResult, events_with_frame_status, fill_frames
from coder.interop.importer import ImportResult, import_file, read_file
from coder.interop.mapping import read_map
from coder.interop.model import TidyOptions
from coder.interop.sds_write import write_sds

__all__ = [
    "FillResult",
    "ImportResult",
    "InteropError",
    "TidyOptions",
    "events_with_frame_status",
    "fill_frames",
    "import_file",
    "read_boris",
    "read_eaf",
    "read_file",
    "read_map",
    "write_boris",
    "write_eaf",
    "write_sds",
]
