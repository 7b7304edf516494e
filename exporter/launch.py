"""The ``exporter`` command as installed: the command line, its modules kept out of the way of
Python's cycle collector.

A command is one short run whose modules, once imported, live until its end; the cycle
collector, run every 700 allocations, would walk them over and over. ``gc.freeze()`` after
the command line's imports moves them out of its sight: 3 to 5 % of a build
(bench/versus_pandoc.py: 40-article EPUB 0.69 -> 0.64 s, 160-article PDF with one worker
20.2 -> 19.3 s) for the same peak memory (204 MB there; raising the collector's thresholds
instead saved a little more but took it to 336 MB). Here, not in the library, whose users keep
their own settings; the PDF's layout workers also freeze what they inherit (workers.py).
"""

from __future__ import annotations

import gc


def main() -> None:
    from .cli import main as command_line

    gc.freeze()
    command_line()
