"""The ``exporter`` command as installed: the collector tuned, then the command line.

A command is one short run that allocates millions of small objects living until its end
(pydantic models, WeasyPrint's boxes); Python's cycle collector, run by default every 700
allocations, walks them over and over. Run a hundred times less often it saves 3 to 4 % of a
build (bench/versus_pandoc.py) for the same peak memory. It is set before anything heavy is
imported, here and not in the library, whose users keep their own settings; forked layout
workers inherit it.
"""

from __future__ import annotations

import gc

THRESHOLDS = (70_000, 20, 50)


def main() -> None:
    gc.set_threshold(*THRESHOLDS)
    from .cli import main as command_line

    command_line()
