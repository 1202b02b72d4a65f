"""Child processes for tests that Linux stops when the test process dies, even by SIGKILL."""

from __future__ import annotations

import os
import sys

_SHIM = (
    "import ctypes, os, signal, sys\n"
    "ctypes.CDLL(None, use_errno=True).prctl(1, int(signal.SIGTERM))  # PR_SET_PDEATHSIG\n"
    "if os.getppid() != int(sys.argv[1]):\n"
    "    sys.exit(1)  # the parent died before the request took effect\n"
    "os.execv(sys.argv[2], sys.argv[2:])\n"
)


def tied_to_this_process(argv: list[str]) -> list[str]:
    """`argv` wrapped so the child gets SIGTERM when this process goes away."""
    return [sys.executable, "-c", _SHIM, str(os.getpid()), *argv]
