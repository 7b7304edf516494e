"""Worker processes for the parts of the issue, and the one-process stand-in for them.

Workers are forked once per build: they inherit the rendition (its assets, the stylesheets)
without pickling, and WeasyPrint's modules already loaded. Each keeps its own font
configuration and the parts it laid out, and answers one task at a time over a pipe. A task
that fails reports why; a worker that dies is noticed; either way the build stops with a
BuildError (or a SandboxError for a refused file) and every worker is ended. With one worker
the same tasks run in this process, in the same order, so the PDF is the same byte for byte.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import multiprocessing
import signal
import traceback
from collections.abc import Callable
from multiprocessing.connection import Connection, wait
from typing import Any

from exporter.errors import BuildError, SandboxError

from .press import Press
from .sandbox import SandboxViolation

JOIN_SECONDS = 5.0
log = logging.getLogger(__name__)


class WorkerFailed(BuildError):
    """A part could not be laid out or written in a worker."""


def _serve(connection: Connection, press: Press) -> None:
    """A worker's life: run tasks until told to stop (None) or the parent goes away."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    while True:
        try:
            task = connection.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        try:
            reply: tuple[str, Any] = ("done", press.run(task))
        except SandboxViolation as exc:
            reply = ("sandbox", str(exc))
        except Exception as exc:  # reported to the parent, which stops the build
            reply = ("failed", (f"{type(exc).__name__}: {exc}", traceback.format_exc()))
        connection.send(reply)


class Crew:
    """``size`` workers, forked processes when more than one, this process when one."""

    def __init__(self, size: int, make_press: Callable[[], Press]) -> None:
        self.size = size
        self._press: Press | None = None
        self._connections: list[Connection] = []
        self._processes: list[multiprocessing.process.BaseProcess] = []
        self._done: list[tuple[int, Any]] = []  # results of the one-process crew
        self._busy: dict[int, object] = {}  # worker -> the task it is doing
        if (
            size == 1
            or multiprocessing.current_process().daemon  # may not have children
            or "fork" not in multiprocessing.get_all_start_methods()  # Windows
        ):
            self.size = 1
            self._press = make_press()
            return
        context = multiprocessing.get_context("fork")
        press = make_press()
        # What the workers inherit is never garbage to them: out of their collector's sight
        # (gc.freeze, as Python advises before a fork), they lay out faster; this process
        # keeps its own settings.
        frozen = gc.get_freeze_count()
        gc.freeze()
        try:
            for _ in range(size):
                mine, theirs = context.Pipe()
                process = context.Process(target=_serve, args=(theirs, press), daemon=True)
                process.start()
                theirs.close()
                self._connections.append(mine)
                self._processes.append(process)
        except BaseException:
            self.close(now=True)
            raise
        finally:
            if not frozen:
                gc.unfreeze()

    def idle(self) -> list[int]:
        return [worker for worker in range(self.size) if worker not in self._busy]

    def send(self, worker: int, task: object, describe: str) -> None:
        """Give ``worker`` a task; ``describe`` names it in an error."""
        self._busy[worker] = describe
        if self._press is not None:
            self._done.append((worker, self._run_here(task, describe)))
            return
        self._connections[worker].send(task)

    def _run_here(self, task: object, describe: str) -> Any:
        assert self._press is not None
        try:
            return self._press.run(task)  # type: ignore[arg-type]
        except SandboxViolation as exc:
            raise SandboxError(str(exc)) from None

    def receive(self) -> list[tuple[int, Any]]:
        """The results of the tasks that are finished, waiting for one if none is."""
        if self._press is not None:
            done, self._done = self._done, []
        else:
            assert self._busy, "nothing to wait for"
            ready = wait([self._connections[w] for w in self._busy])
            done = []
            for worker in sorted(self._connections.index(c) for c in ready):  # type: ignore[arg-type]
                describe = self._busy[worker]
                try:
                    kind, payload = self._connections[worker].recv()
                except (EOFError, OSError):
                    self._processes[worker].join(JOIN_SECONDS)  # for its exit code
                    code = self._processes[worker].exitcode
                    raise WorkerFailed(
                        f"pdf: the worker laying out {describe} stopped (exit code {code})"
                    ) from None
                if kind == "sandbox":
                    raise SandboxError(payload)
                if kind == "failed":
                    message, trace = payload
                    log.debug("%s failed in a worker:\n%s", describe, trace)  # --debug shows it
                    raise WorkerFailed(f"pdf: {describe} failed in a worker: {message}")
                done.append((worker, payload))
        for worker, _ in done:
            del self._busy[worker]
        return done

    def close(self, now: bool = False) -> None:
        """Stop every worker: asked to when their work is done, ended at once (``now``) when
        the build has failed."""
        for connection in self._connections:
            with contextlib.suppress(OSError, ValueError):  # already gone
                connection.send(None)
        for process in self._processes:
            if now and process.is_alive():
                process.kill()
            process.join(JOIN_SECONDS if process.is_alive() else 0)
            if process.is_alive():
                process.kill()
                process.join()
        for connection in self._connections:
            connection.close()
        self._connections, self._processes = [], []

    def __enter__(self) -> Crew:
        return self

    def __exit__(self, kind: object, *rest: object) -> None:
        self.close(now=kind is not None)
