"""Handing freed memory back to the operating system between the stages of a large job.

glibc keeps memory that Python and NumPy have freed inside the process, in pieces of the
sizes that were last asked for; a job that allocates hundreds of megabytes in pieces of
changing size (a matching run) would keep its worker's resident memory at the high-water
mark of every stage together. Trimming between stages returns the free pages at once.
On other C libraries (musl, macOS) there is nothing to call and nothing is done.
"""

import ctypes
import ctypes.util
from functools import cache


@cache
def _malloc_trim():  # noqa: ANN202 (a ctypes function or None)
    name = ctypes.util.find_library("c")
    if name is None:
        return None
    return getattr(ctypes.CDLL(name), "malloc_trim", None)


def release_freed_memory() -> None:
    """Give the pages that the process has freed back to the operating system."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)
