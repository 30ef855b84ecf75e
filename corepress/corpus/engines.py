"""Where the pages of a batch are parsed: in this process, in a pool of worker processes, or on Dask.

Every engine takes the same jobs and yields one :class:`Outcome` per job, in the
jobs' order, so the output of a batch is the same bytes whichever engine made it.
A page that runs past the time limit, or whose worker dies, is a failed
outcome naming the page; the batch goes on.  A page is never cut short into a
different result: it either finishes in time or is reported.

What each engine can do about a page that never ends:

* ``serial`` (one process): an alarm signal interrupts the page at the limit.
  That stops Python code (a plugin looping or sleeping) but not a C call that
  holds the interpreter, and a plugin that catches ``BaseException`` can delay
  it; the alarm repeats every second until the page gives up.
* ``processes`` (``--jobs N``): a worker takes a few pages at a time and runs
  each under the same alarm; should the alarm not stop it, the task overruns
  its pages' summed limits, the worker is killed and replaced, and the task's
  pages are parsed again one to a task, each killed at its own limit.  Nothing
  a page does can hold up the batch.
* ``dask``: a task of several pages that runs past their summed limits is
  abandoned, and its pages are parsed again on this machine as ``processes``
  parses them, one to a task.  Dask cannot stop a running task, so a page
  that never ends holds its worker thread until it ends.
"""

from __future__ import annotations

import itertools
import os
import signal
import threading
from collections import deque
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Deque, Iterable, Iterator, List, Literal, Optional, Tuple, TypeVar

import attrs

from corepress.corpus import heap
from corepress.values.errors import InputError, describe, one_line
from corepress.values.hooktypes import ParseOptions
from corepress.values.model import Page

Engine = Literal["serial", "processes", "dask"]

ENV_SCHEDULER_TIMEOUT = "COREPRESS_SCHEDULER_TIMEOUT"
"""Seconds to keep trying to reach ``--scheduler`` before giving up (default 30)."""

DEFAULT_PAGE_TIMEOUT = 120.0
"""Seconds a page may take before it is reported as failed (a real page takes well under one)."""


@attrs.frozen
class Job:
    """One page to parse, as sent to a worker: picklable, and small."""

    index: int
    path: str
    options: ParseOptions
    render: Optional[str] = None  # a per-page writer's name: the worker renders the page's output itself
    rows: bool = False  # the worker returns table rows instead of the page
    data: Optional[bytes] = None  # the page itself, for standard input (path "-")


@attrs.frozen
class Outcome:
    """What became of one job: a page (or its rendered output, or its table rows), or why not."""

    index: int
    path: str
    page: Optional[Page] = None
    chunk: Optional[str] = None
    rows: Any = None
    sha256: Optional[str] = None
    articles: int = 0
    failure: Optional[str] = None
    fatal: Optional[str] = None  # strict mode: a misbehaving plugin stops the whole run


class EngineError(Exception):
    """The engine cannot start (Dask missing, a scheduler out of reach); the message is one line."""


class PageTimeout(BaseException):
    """The page ran past its time limit (a BaseException: no plugin's ``except Exception`` swallows it)."""


def parse_job(job: Job) -> Outcome:
    """Parse one page and package the result; runs in whichever process the engine chose."""
    from corepress.pipeline.pipeline import parse_bytes, read_raw
    from corepress.plugin_system.errors import PluginError
    from corepress.plugin_system.manager import get_plugins

    path = Path(job.path)
    try:
        plugins = get_plugins()
        page = parse_bytes(read_raw(path) if job.data is None else job.data, path, job.options, plugins)
        heap.first_page_parsed()
    except InputError as exc:
        return Outcome(job.index, job.path, failure=str(exc))
    except TimeoutError as exc:  # regex's own time limit on one pattern
        return Outcome(job.index, job.path, failure=f"{one_line(path)}: a pattern ran too long on this page ({exc})")
    except PluginError as exc:
        return Outcome(job.index, job.path, fatal=str(exc))
    if not page.articles and page.masthead is None and not any(d.reason == "advert" for d in page.dropped):
        # nothing on the page was recognised: more likely not a newspaper page than an empty one.  An
        # advert page (广告, or an issuer line) is a page, written with its text in ``dropped``.
        return Outcome(job.index, job.path, sha256=page.source.sha256,
                       failure=f"{one_line(path)}: no article, no masthead and no advert found on the page")
    done = Outcome(job.index, job.path, sha256=page.source.sha256, articles=len(page.articles))
    if job.rows:
        from corepress.text_io.tables import page_rows

        return attrs.evolve(done, rows=page_rows(page))
    if job.render is not None:
        import io

        buffer = io.StringIO()
        plugins.output_writers()[job.render].write([page], buffer)
        return attrs.evolve(done, chunk=buffer.getvalue())
    return attrs.evolve(done, page=page)


def _timed_out(job: Job, seconds: float, what: str) -> Outcome:
    return Outcome(job.index, job.path, failure=f"{one_line(job.path)}: took longer than {seconds:g} s; {what}")


# serial -----------------------------------------------------------------------------------
@contextmanager
def _alarm(seconds: Optional[float]) -> Iterator[None]:
    """Raise :class:`PageTimeout` after ``seconds`` (then every second), where signals allow it."""
    usable = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not seconds or not usable:
        yield
        return

    def ring(signum: int, frame: Any) -> None:
        raise PageTimeout()

    previous = signal.signal(signal.SIGALRM, ring)
    signal.setitimer(signal.ITIMER_REAL, seconds, 1.0)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def parse_in_time(job: Job, timeout: Optional[float]) -> Outcome:
    """:func:`parse_job` under an alarm at ``timeout`` seconds: a page past it is a failure, not a hang."""
    try:
        with _alarm(timeout):
            return parse_job(job)
    except PageTimeout:
        return _timed_out(job, timeout or 0, "stopped")


def run_serial(jobs: Iterable[Job], timeout: Optional[float]) -> Iterator[Outcome]:
    for job in jobs:
        yield parse_in_time(job, timeout)


Work = TypeVar("Work")  # what is sent out at a time: a page's job, or a task of several
Done = TypeVar("Done")  # what comes back for it


def _in_order(jobs: Iterable[Work], submit: Callable[[Work], Any], collect: Callable[[Work, Any], Done], ahead: int,
              window: Optional[Deque[Tuple[Work, Any]]] = None) -> Iterator[Done]:
    """Submit jobs keeping at most ``ahead`` in flight, and collect them in the order given.

    The bounded window keeps memory flat however long the batch; ``window`` (when given)
    is where the caller finds what is still in flight if the batch is abandoned.
    """
    window = deque() if window is None else window
    for job in jobs:
        window.append((job, submit(job)))
        if len(window) >= ahead:
            yield collect(*window.popleft())
    while window:
        yield collect(*window.popleft())


# worker processes ---------------------------------------------------------------------------
def cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))  # type: ignore[attr-defined]
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


PAGES_PER_TASK = 8
"""Pages a worker takes at a time.  With one page a task, the main process spent 1.1–1.4 s of CPU on
2 000 seed pages (0.3 s of it start-up), in messages and bookkeeping taken from the workers' cores;
with eight, 0.6–0.9 s, and ``--jobs 2`` ran 4 % faster (paired runs)."""


def parse_pages(jobs: Tuple[Job, ...], timeout: Optional[float]) -> List[Outcome]:
    """One worker task: its pages in turn, each under its own alarm (a worker runs tasks in its main
    thread, where the alarm can ring)."""
    return [parse_in_time(job, timeout) for job in jobs]


def _tasks(jobs: Iterable[Job], size: int) -> Iterator[Tuple[Job, ...]]:
    """The jobs in consecutive groups of ``size`` (the last may be shorter), taken lazily."""
    remaining = iter(jobs)
    while True:
        task = tuple(itertools.islice(remaining, size))
        if not task:
            return
        yield task


def run_processes(jobs: Iterable[Job], workers: int, timeout: Optional[float],
                  pages_per_task: int = PAGES_PER_TASK) -> Iterator[Outcome]:
    """A pool of ``workers`` processes (pebble's, which kills and replaces a worker whose task runs too long).

    At most a few tasks per worker are in flight, so memory stays flat however long the batch.  A task
    whose worker died, that ran past its pages' summed limits or whose result could not travel back is
    done again a page to a task, so its other pages are parsed and only the culprit fails.
    """
    from concurrent.futures import TimeoutError as FutureTimeout

    from pebble import ProcessExpired, ProcessPool

    pool = ProcessPool(max_workers=workers)

    def submit(task: Tuple[Job, ...]) -> Any:
        if len(task) == 1:  # a page alone: pebble's limit is the page's
            return pool.schedule(parse_job, args=task, timeout=timeout)
        return pool.schedule(parse_pages, args=(task, timeout), timeout=timeout * len(task) if timeout else None)

    def collect(task: Tuple[Job, ...], future: Any) -> List[Outcome]:
        if len(task) == 1:
            return [_collect(task[0], future, timeout, FutureTimeout, ProcessExpired)]
        try:
            return future.result()  # type: ignore[no-any-return]
        except Exception:  # noqa: BLE001 - which page was at fault is found by parsing them one by one
            again = [(job, submit((job,))) for job in task]
            return [_collect(job, retry, timeout, FutureTimeout, ProcessExpired) for job, retry in again]

    finished = False
    try:
        for outcomes in _in_order(_tasks(jobs, pages_per_task), submit, collect, 4 * workers):
            yield from outcomes
        finished = True
    finally:
        # stopped once, one way (pebble 5.2.1 fails when a pool is both stopped and closed)
        if finished:
            pool.close()
        else:
            pool.stop()  # an abandoned batch (an error, Ctrl-C) leaves no worker behind
        pool.join()


def _collect(job: Job, future: Any, timeout: Optional[float], future_timeout: Any, expired: Any) -> Outcome:
    try:
        return future.result()
    except future_timeout:
        return _timed_out(job, timeout or 0, "its worker was stopped and replaced")
    except expired as exc:
        return Outcome(job.index, job.path, failure=f"{one_line(job.path)}: its worker process died ({describe(exc)})")
    except Exception as exc:  # noqa: BLE001 - a result that cannot travel back is this page's failure
        return Outcome(job.index, job.path, failure=f"{one_line(job.path)}: {describe(exc)}")


# Dask -----------------------------------------------------------------------------------------
DASK_PAGES_PER_TASK = 16
"""Pages in one Dask task.  A task of one page cost the scheduler and the workers about 5 ms of CPU
besides the page's own 7 (2 000 seed pages on two local workers: 25 s of CPU against 14 s in one
process); Dask's own advice is tasks of 100 ms or more.  Sixteen pages a task took that run from
14.6 s to 9.5 s, the cluster's start included."""


def run_dask(jobs: Iterable[Job], scheduler: Optional[str], workers: int, timeout: Optional[float],
             on_start: Callable[[str], None] = lambda message: None) -> Iterator[Outcome]:
    """The same jobs on a Dask cluster: the one at ``scheduler``, or a ``LocalCluster`` of ``workers`` processes.

    Plugins load on the workers (each imports corepress and finds the installed
    plugins, as a local run does); pages go out :data:`DASK_PAGES_PER_TASK` to a task, two
    tasks per worker in flight, and come back in order.  A task that fails or runs past its
    pages' summed limits is abandoned (a Dask task cannot be stopped: it holds its thread until
    it ends) and its pages are parsed again on this machine, one to a worker process, each
    stopped at its own limit, so only the culprit fails.
    """
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError:
        raise EngineError("--engine dask needs Dask: pip install 'corepress[dask]'") from None

    cluster = None
    try:
        if scheduler:
            client = Client(scheduler, timeout=float(os.environ.get(ENV_SCHEDULER_TIMEOUT, "30")))
        else:
            cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                   dashboard_address=None, silence_logs=50)  # corepress reports each failed page itself
            client = Client(cluster)
    except (OSError, TimeoutError, ValueError) as exc:  # unreachable, refused, a malformed address
        if cluster is not None:
            cluster.close()
        where = f"the Dask scheduler at {scheduler}" if scheduler else "a local Dask cluster"
        raise EngineError(f"cannot reach {where}: {describe(exc)}") from None
    count = len(client.scheduler_info().get("workers", {}))
    on_start(f"dask: scheduler {client.scheduler.address if client.scheduler else scheduler}, "
             f"{count} worker{'' if count == 1 else 's'}")
    window: Deque[Tuple[Tuple[Job, ...], Any]] = deque()

    def collect(task: Tuple[Job, ...], future: Any) -> List[Outcome]:
        try:
            return future.result(timeout=timeout * len(task) if timeout else None)  # type: ignore[no-any-return]
        except Exception:  # noqa: BLE001 - which page was at fault is found by parsing them one by one
            future.cancel()
            # here, not on the cluster: a page there cannot be stopped, and the stuck task's thread
            # may be where the scheduler would queue the pages again
            return list(run_processes(task, 1, timeout, pages_per_task=1))

    try:
        for outcomes in _in_order(_tasks(jobs, DASK_PAGES_PER_TASK), lambda task: client.submit(parse_pages, task, None, pure=False),
                                  collect, 2 * max(1, workers), window):
            yield from outcomes
    finally:
        for _, future in window:  # what an abandoned batch left in flight
            future.cancel()
        client.close()
        if cluster is not None:
            cluster.close()


def run_jobs(jobs: Iterable[Job], *, engine: Engine = "serial", workers: int = 1, timeout: Optional[float] = None,
             scheduler: Optional[str] = None, on_start: Callable[[str], None] = lambda message: None) -> Iterator[Outcome]:
    """One :class:`Outcome` per job, in order, from the engine asked for."""
    if engine == "dask":
        return run_dask(jobs, scheduler, workers, timeout, on_start)
    if engine == "processes" and workers > 1:
        return run_processes(jobs, workers, timeout)
    return run_serial(jobs, timeout)


__all__: List[str] = ["DEFAULT_PAGE_TIMEOUT", "Engine", "EngineError", "Job", "Outcome", "PageTimeout", "cpu_count", "parse_job", "run_jobs"]
