"""Peak resident memory, in MB, of this process or of its finished children.

``ru_maxrss`` is in KiB on Linux and in bytes on macOS; the benchmarks are not run on
Windows, which has no ``resource`` module.
"""

from __future__ import annotations

import resource
import sys


def peak_megabytes(children: bool = False) -> float:
    """The largest resident set of this process (or of any child it waited for)."""
    who = resource.RUSAGE_CHILDREN if children else resource.RUSAGE_SELF
    peak = resource.getrusage(who).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024
