"""Many bulletins, unattended: parallel builds, skipped when nothing changed, one report each.

Each bulletin is built in its own worker process (WeasyPrint holds a whole document in
memory), or on a Dask cluster. Workers build in memory and send the files back; only this
process writes, atomically, so an interrupted run leaves complete files or none. A content
hash over the inputs, templates, styles, options and exporter's version lets an unchanged
bulletin be skipped without loading WeasyPrint at all.
"""

from __future__ import annotations

import hashlib
import json
import os
import resource
import signal
import tempfile
import threading
import time
import tomllib
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from exporter import __version__
from exporter.output import output_name, write_atomic
from exporter.render.theme import Theme
from exporter.source.slugs import slugify

CACHE = ".exporter-batch.json"
FORMATS = ("pdf", "epub")


@dataclass(frozen=True)
class Job:
    """What one worker needs: picklable, and self-contained when ``files`` is given."""

    folder: str
    formats: tuple[str, ...] = FORMATS
    theme_dirs: tuple[str, ...] = ()
    strict: bool = False
    pdf: tuple[tuple[str, Any], ...] = ()
    source_date_epoch: str | None = None
    # For remote workers: the bulletin's files (relative path -> bytes), unpacked there.
    files: tuple[tuple[str, bytes], ...] = ()


@dataclass
class Result:
    """One bulletin's outcome, as written in the JSON report."""

    bulletin: str
    status: str  # "built", "unchanged" or "failed"
    outputs: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    exit_code: int = 0
    seconds: float = 0.0
    peak_memory_mb: float = 0.0

    @property
    def reason(self) -> str:
        """One line for a log or a summary: the first problem, and how many more there are."""
        if not self.errors:
            return ""
        more = len(self.errors) - 1
        first = self.errors[0].split("\n", 1)[0]  # a TOML error shows its line below
        return first + (f" (and {more} more)" if more else "")


@dataclass
class BatchReport:
    results: list[Result] = field(default_factory=list)
    interrupted: bool = False
    seconds: float = 0.0

    @property
    def failed(self) -> list[Result]:
        return [r for r in self.results if r.status == "failed"]

    def as_dict(self) -> dict[str, Any]:
        counts = {
            s: sum(r.status == s for r in self.results) for s in ("built", "unchanged", "failed")
        }
        return {
            "exporter": __version__,
            "seconds": round(self.seconds, 3),
            "interrupted": self.interrupted,
            **counts,
            "bulletins": [asdict(r) for r in self.results],
        }


# ---- fingerprints --------------------------------------------------------------------------


def _files(folder: Path) -> Iterator[Path]:
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not any(p.startswith(".") for p in path.relative_to(folder).parts):
            yield path


def _digest_tree(digest: Any, root: Path) -> None:
    digest.update(f"\0root {root.name}".encode())
    for path in _files(root):
        digest.update(f"\0{path.relative_to(root).as_posix()}\0".encode())
        digest.update(path.read_bytes())


def theme_fingerprint(theme_dirs: Sequence[str]) -> str:
    """Templates and styles (overrides and built-in), hashed once per batch."""
    digest = hashlib.sha256()
    theme = Theme([Path(d) for d in theme_dirs])
    for root in [*theme.template_dirs, *theme.style_dirs]:
        _digest_tree(digest, root)
    return digest.hexdigest()


def fingerprint(job: Job, theme: str | None = None) -> str:
    """Changes when anything that can change the output changes; reading files only."""
    digest = hashlib.sha256()
    options = {k: v for k, v in asdict(job).items() if k not in ("folder", "files")}
    digest.update(json.dumps([__version__, options], sort_keys=True, default=str).encode())
    digest.update((theme or theme_fingerprint(job.theme_dirs)).encode())
    _digest_tree(digest, Path(job.folder))
    return digest.hexdigest()


def planned_outputs(folder: Path, formats: Sequence[str]) -> list[str]:
    """Output file names from bulletin.toml alone (cheap; an invalid file gives none)."""
    try:
        spec = tomllib.loads((folder / "bulletin.toml").read_text(encoding="utf-8"))
        stem = slugify(str(spec["publication"]))
        year, issue = int(spec["year"]), int(spec["issue"])
    except (OSError, ValueError, KeyError, TypeError, tomllib.TOMLDecodeError):
        return []
    return [output_name(stem, year, issue, f".{name}") for name in formats]


# ---- the work itself (runs in a worker) ------------------------------------------------------


def run_job(job: Job) -> tuple[Result, list[tuple[str, bytes]]]:
    """Build one bulletin in memory; never raises: failures are one-line reasons."""
    from exporter.errors import ExportError, InputError
    from exporter.pipeline import produce

    started = time.perf_counter()
    result = Result(bulletin=job.folder, status="built")
    files: list[tuple[str, bytes]] = []
    with tempfile.TemporaryDirectory(prefix="exporter-job-") as scratch:
        folder = Path(job.folder)
        if job.files:  # a remote worker: the bulletin travelled with the job
            folder = Path(scratch) / "bulletin"
            for rel, data in job.files:
                target = folder / rel
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
        try:
            report, editions = produce(
                folder,
                job.formats,
                theme_dirs=job.theme_dirs,
                strict=job.strict,
                source_date_epoch=job.source_date_epoch,
                pdf=dict(job.pdf) or None,
            )
            result.warnings = report.warnings
            for edition in editions:
                files.append((edition.filename, edition.data))
                result.outputs.append(
                    {
                        "format": edition.format,
                        "file": edition.filename,
                        "size": len(edition.data),
                        "seconds": round(edition.seconds, 3),
                        **edition.stats,
                    }
                )
        except InputError as exc:
            result.status, result.exit_code = "failed", exc.exit_code
            result.errors = [str(p) for p in exc.problems]
        except ExportError as exc:
            result.status, result.exit_code = "failed", exc.exit_code
            result.errors = [line for line in str(exc).splitlines() if line.strip()][:20]
        except Exception as exc:  # a bug must not stop the other bulletins
            result.status, result.exit_code = "failed", 1
            result.errors = [f"internal error: {type(exc).__name__}: {exc}"]
    result.seconds = round(time.perf_counter() - started, 3)
    result.peak_memory_mb = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    return result, files


def _packed(job: Job) -> Job:
    """The job with its bulletin's files inside, for workers that do not share our disk."""
    folder = Path(job.folder)
    files = tuple((p.relative_to(folder).as_posix(), p.read_bytes()) for p in _files(folder))
    return Job(**{**asdict(job), "files": files, "theme_dirs": job.theme_dirs})


# ---- executors -------------------------------------------------------------------------------


class _Processes:
    def __init__(self, workers: int) -> None:
        self.workers = workers
        self.pool = self._pool()

    def _pool(self) -> ProcessPoolExecutor:
        # One bulletin per process: WeasyPrint's memory goes back to the system after each.
        return ProcessPoolExecutor(
            max_workers=self.workers,
            mp_context=get_context("spawn"),
            max_tasks_per_child=1,
            initializer=_ignore_ctrl_c,
        )

    def submit(self, job: Job) -> Future:
        return self.pool.submit(run_job, job)

    def finished(self, futures: list[Future]) -> set[Future]:
        return wait(futures, timeout=0.25, return_when=FIRST_COMPLETED).done

    def renew(self) -> None:
        if self.pool._broken:
            self.pool.shutdown(wait=False, cancel_futures=True)
            self.pool = self._pool()

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)

    def kill(self) -> None:
        """Ctrl-C: workers write nothing themselves, so stopping them loses no file."""
        for process in list(getattr(self.pool, "_processes", {}).values()):
            process.terminate()
        self.pool.shutdown(wait=False, cancel_futures=True)


class _Dask:
    """The same jobs on a Dask cluster; the bulletin's files travel with each job."""

    def __init__(self, scheduler: str) -> None:
        from dask.distributed import Client

        self.client = Client(scheduler, set_as_default=False)

    def submit(self, job: Job) -> Any:
        return self.client.submit(run_job, _packed(job), pure=False)

    def finished(self, futures: list[Any]) -> set[Any]:
        done = {f for f in futures if f.done()}
        if not done:
            time.sleep(0.1)
        return done

    def renew(self) -> None:
        pass  # the scheduler reassigns the work of lost workers itself

    def close(self) -> None:
        self.client.close()

    def kill(self) -> None:
        self.client.close()


# ---- the batch ------------------------------------------------------------------------------


def _load_cache(out: Path) -> dict[str, Any]:
    try:
        return json.loads((out / CACHE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _remove_leftovers(out: Path) -> None:
    """Temporary files of interrupted writes (``.name.xxxx.part``) never stay behind."""
    for part in out.glob(".*.part"):
        part.unlink(missing_ok=True)


def batch(
    folders: Iterable[Path | str],
    out_dir: Path | str,
    *,
    formats: Sequence[str] = FORMATS,
    jobs: int | None = None,
    theme_dirs: Iterable[Path | str] = (),
    strict: bool = False,
    force: bool = False,
    fail_fast: bool = False,
    pdf: dict[str, Any] | None = None,
    source_date_epoch: str | None = None,
    executor: str = "process",
    scheduler: str | None = None,
    on_result: Callable[[Result, int, int], None] | None = None,
) -> BatchReport:
    """Build every bulletin into ``out_dir``; one failure never stops the others.

    Unchanged bulletins (same fingerprint, outputs present) are skipped unless ``force``.
    ``on_result(result, done, total)`` is called as each bulletin finishes.
    """
    started = time.perf_counter()
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    if source_date_epoch is None:
        source_date_epoch = os.environ.get("SOURCE_DATE_EPOCH") or None
    folders = [Path(f) for f in folders]
    common = {
        "formats": tuple(formats),
        "theme_dirs": tuple(str(Path(d)) for d in theme_dirs),
        "strict": strict,
        "pdf": tuple(sorted((pdf or {}).items())),
        "source_date_epoch": source_date_epoch,
    }
    cache = _load_cache(out)
    theme_stamp = theme_fingerprint(common["theme_dirs"])
    report = BatchReport()
    total = len(folders)
    pending: list[tuple[Job, str]] = []
    claimed: dict[str, str] = {}

    def finish(result: Result) -> None:
        report.results.append(result)
        if on_result:
            on_result(result, len(report.results), total)

    for folder in folders:
        job = Job(folder=str(folder), **common)
        names = planned_outputs(folder, formats)
        clash = next((claimed[n] for n in names if n in claimed), None)
        if clash:
            finish(
                Result(
                    str(folder),
                    "failed",
                    exit_code=3,
                    errors=[
                        f"{folder}: same publication, year and issue as {clash} "
                        f"(both would write {names[0]})"
                    ],
                )
            )
            continue
        claimed.update(dict.fromkeys(names, str(folder)))
        key = str(folder.resolve())
        try:
            stamp = fingerprint(job, theme_stamp)
        except OSError as exc:
            finish(
                Result(
                    str(folder),
                    "failed",
                    exit_code=3,
                    errors=[f"{folder}: cannot be read ({exc.strerror})"],
                )
            )
            continue
        known = cache.get(key, {})
        if (
            not force
            and known.get("fingerprint") == stamp
            and all((out / n).is_file() for n in known.get("files", [None]))
        ):
            finish(Result(str(folder), "unchanged", outputs=known.get("outputs", [])))
            continue
        pending.append((job, stamp))

    if pending:
        workers = max(1, jobs or os.cpu_count() or 1)
        runner = _Dask(scheduler) if executor == "dask" else _Processes(workers)
        with _ctrl_c() as interrupted:
            try:
                _run(
                    runner,
                    pending,
                    workers,
                    fail_fast,
                    interrupted,
                    lambda job, stamp, result, files: _collect(
                        out, cache, job, stamp, result, files, finish
                    ),
                )
            except KeyboardInterrupt:
                report.interrupted = True
                runner.kill()
                _remove_leftovers(out)
                raise
            runner.close()
        _remove_leftovers(out)
    report.seconds = time.perf_counter() - started
    return report


def _collect(
    out: Path,
    cache: dict[str, Any],
    job: Job,
    stamp: str,
    result: Result,
    files: list[tuple[str, bytes]],
    finish: Callable[[Result], None],
) -> None:
    """Write what a worker built (atomically), remember its fingerprint, report it."""
    for name, data in files:
        write_atomic(out / name, data)
    if result.status == "built":
        cache[str(Path(job.folder).resolve())] = {
            "fingerprint": stamp,
            "files": [n for n, _ in files],
            "outputs": result.outputs,
        }
        write_atomic(out / CACHE, json.dumps(cache, indent=1).encode())
    finish(result)


def _run(
    runner: Any,
    pending: list[tuple[Job, str]],
    workers: int,
    fail_fast: bool,
    interrupted: threading.Event,
    collect: Callable[[Job, str, Result, list[tuple[str, bytes]]], None],
) -> None:
    """Keep the workers busy; a dead worker's jobs get one more try; stop on Ctrl-C."""
    waiting: dict[Any, tuple[Job, str]] = {}
    tries: dict[str, int] = {}
    queue = list(pending)
    stop = False
    while queue or waiting:
        while queue and not stop and len(waiting) < 2 * workers:
            job, stamp = queue.pop(0)
            waiting[runner.submit(job)] = (job, stamp)
        if not waiting:
            break
        for future in runner.finished(list(waiting)):
            job, stamp = waiting.pop(future)
            try:
                result, files = future.result()
            except BrokenProcessPool:
                # A worker died (killed, out of memory) and took the jobs in flight with it.
                tries[job.folder] = tries.get(job.folder, 0) + 1
                if tries[job.folder] < 2:
                    queue.insert(0, (job, stamp))
                    runner.renew()
                    continue
                result, files = _failure(job, "the worker process died (out of memory?)"), []
            except Exception as exc:  # e.g. a Dask worker lost: report, carry on
                result, files = _failure(job, f"{type(exc).__name__}: {exc}"), []
            collect(job, stamp, result, files)
            stop = stop or (fail_fast and result.status == "failed")
        if interrupted.is_set():
            raise KeyboardInterrupt
        if stop and not waiting:
            break


def _failure(job: Job, reason: str) -> Result:
    return Result(job.folder, "failed", exit_code=1, errors=[f"{job.folder}: {reason}"])


@contextmanager
def _ctrl_c() -> Iterator[threading.Event]:
    """Ctrl-C sets a flag the batch loop checks, so it stops the workers itself, in order."""
    flag = threading.Event()
    if threading.current_thread() is not threading.main_thread():
        yield flag
        return
    previous = signal.signal(signal.SIGINT, lambda *_: flag.set())
    try:
        yield flag
    finally:
        signal.signal(signal.SIGINT, previous)


def _ignore_ctrl_c() -> None:
    """Workers leave Ctrl-C to the batch, which stops them (they never write files)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
