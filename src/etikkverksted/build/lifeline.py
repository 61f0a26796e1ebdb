"""Worker processes end with the process that started them.

A batch's workers and the forked deck renderer used to live on as orphans when their parent
was killed (SIGKILL, an out-of-memory kill, a closed terminal), asleep forever on a queue.
On Linux the kernel sends a signal to a child when its parent dies if the child asks for it
(``prctl(PR_SET_PDEATHSIG)``); the child then checks that its parent had not already died
before it asked. Elsewhere nothing is done here; the batch's own shutdown still stops them.
"""

from __future__ import annotations

import os
import signal
import sys

_PR_SET_PDEATHSIG = 1


def die_with_parent(parent_pid: int, sig: int = signal.SIGTERM) -> bool:
    """Ask the kernel to send *sig* to this process when its parent dies.

    Call it first thing in a child. If the parent (*parent_pid*) is already gone, the child
    exits at once. Returns True where the platform supports it.
    """
    if sys.platform != "linux":
        return False
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(_PR_SET_PDEATHSIG, int(sig), 0, 0, 0) != 0:
            return False
    except (OSError, AttributeError):  # no prctl in this C library
        return False
    if os.getppid() != parent_pid:  # the parent died before the request took effect
        os._exit(1)
    return True
