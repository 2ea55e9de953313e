"""Memory that a long-running server gives back: set once when the server starts (server.py).

A Streamlit server runs every session's script in its own thread. glibc gives each thread that allocates an
arena of its own (up to 8 per core), and pages freed inside those arenas are rarely returned to the system, so
the resident size of a server that has seen many sessions only grows even when Python has freed the frames.
Two settings keep it flat (measured with ``python -m bench.wsload --soak``, see docs/deployment.md):

- at most ``MALLOC_ARENAS`` glibc arenas (``mallopt(M_ARENA_MAX)``), so freed pages are reused;
- ``malloc_trim(0)`` every ``TRIM_SECONDS`` in a daemon thread, returning the free pages at the top of the heap.

Arrow's buffers come from its own pool (mimalloc or jemalloc), which returns memory on its own schedule.
Nothing here changes a figure; on a system without glibc it does nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import threading

MALLOC_ARENAS = 2
TRIM_SECONDS = 30.0
_M_ARENA_MAX = -8  # glibc's malloc.h


def _libc():
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.malloc_trim  # noqa: B018 - glibc only
        return libc
    except (OSError, AttributeError):
        return None


def trim() -> bool:
    """Return free heap pages to the system now (True when glibc did)."""
    libc = _libc()
    return bool(libc and libc.malloc_trim(0))


def tune(trim_every: float = TRIM_SECONDS) -> bool:
    """Limit glibc's arenas and start the trimming thread (once per process); False where not glibc."""
    libc = _libc()
    if libc is None:
        return False
    libc.mallopt(_M_ARENA_MAX, MALLOC_ARENAS)
    if not any(t.name == "provdata-malloc-trim" for t in threading.enumerate()):
        stop = threading.Event()

        def loop() -> None:
            while not stop.wait(trim_every):
                libc.malloc_trim(0)

        threading.Thread(target=loop, name="provdata-malloc-trim", daemon=True).start()
    return True
