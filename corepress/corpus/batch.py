"""Many pages at once: walking folders, collecting failures, writing output safely."""

from __future__ import annotations

import os
import signal
import stat
import tempfile
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, Optional, Sequence, TextIO, Tuple, Union

import attrs

from corepress.values.errors import InputError, one_line

if TYPE_CHECKING:  # pragma: no cover
    from corepress.values.model import Page

PAGE_SUFFIXES = (".txt", ".md")


def expand_paths(paths: Iterable[Union[str, "os.PathLike[str]"]], suffixes: Sequence[str] = PAGE_SUFFIXES) -> Iterator[Path]:
    """Files as given; directories walked (sorted) for files with one of ``suffixes``.

    Pass :func:`corepress.pipeline.pipeline.reader_suffixes` to include the formats plugins
    read.  A path that does not exist, or a directory without any page, raises
    :class:`InputError`; :func:`expand_each` reports them and goes on instead.
    """
    for path, error in expand_each(paths, suffixes):
        if error is not None:
            raise error
        yield path


def expand_each(
    paths: Iterable[Union[str, "os.PathLike[str]"]], suffixes: Sequence[str] = PAGE_SUFFIXES
) -> Iterator[Tuple[Path, Optional[InputError]]]:
    """Like :func:`expand_paths`, but a path that gives no file is yielded with its error."""
    wanted = {s.lower() for s in suffixes}
    for raw in paths:
        path = Path(raw)
        try:
            if path.is_dir():
                found = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in wanted)
                if not found:
                    names = ", ".join(f"*{s}" for s in sorted(wanted))
                    yield path, InputError(path, f"directory contains no page ({names})")
                    continue
                for page in found:
                    yield page, None
            elif os.path.lexists(path) and not path.exists():
                yield path, InputError(path, "is a broken symbolic link")
            elif path.exists():
                yield path, None
            else:
                yield path, InputError(path, "no such file or directory")
        except OSError as exc:  # a folder that cannot be listed, a name too long …
            yield path, InputError(path, f"cannot be read: {exc.strerror or exc}")


@attrs.frozen
class Failure:
    """A file that gave nothing useful, and why (one line)."""

    path: Path
    message: str


def parse_files(
    paths: Iterable[Union[str, Path]],
    *,
    paper: Optional[str] = None,
    encoding: Optional[str] = None,
    normalize_brackets: bool = False,
    page_from_name: Optional[str] = None,
    jobs: int = 1,
    page_timeout: Optional[float] = None,
) -> Iterator[Tuple[Path, Union["Page", Failure]]]:
    """Parse many files, yielding ``(path, page)`` or ``(path, Failure)`` for each, in order.

    One bad file never stops the batch: a path that does not exist, a folder
    without pages, a file that cannot be read or decoded, a page with neither an
    article nor a masthead (nothing useful came out of it), and a page that runs
    past ``page_timeout`` seconds are each a :class:`Failure`.  Folders are walked
    for every suffix a registered reader claims.  ``jobs`` > 1 parses in that many
    worker processes (see :mod:`corepress.corpus.engines`); the results are the same.
    """
    from corepress.corpus.engines import Job, run_jobs
    from corepress.pipeline.pipeline import reader_suffixes
    from corepress.plugin_system.errors import PluginError
    from corepress.values.hooktypes import ParseOptions

    options = ParseOptions(paper=paper, encoding=encoding, normalize_brackets=normalize_brackets, page_from_name=page_from_name)
    found = list(expand_each(paths, reader_suffixes()))
    todo = (Job(index, str(path), options) for index, (path, error) in enumerate(found) if error is None)
    outcomes = run_jobs(todo, engine="processes" if jobs > 1 else "serial", workers=jobs, timeout=page_timeout)
    for index, (path, error) in enumerate(found):
        if error is not None:
            yield path, Failure(path, str(error))
            continue
        outcome = next(outcomes)
        assert outcome.index == index
        if outcome.fatal is not None:
            raise PluginError(outcome.fatal)
        if outcome.page is None:
            yield path, Failure(path, outcome.failure or f"{path}: not parsed")
        else:
            yield path, outcome.page


class OutputError(Exception):
    """An output file corepress will not or cannot write; the message is one line naming it."""

    def __init__(self, path: Union[str, Path], message: str) -> None:
        self.path = path
        super().__init__(f"{one_line(path)}: {message}")


_KINDS = (
    (stat.S_ISDIR, "is a directory"),
    (stat.S_ISCHR, "is a character device"),
    (stat.S_ISBLK, "is a block device"),
    (stat.S_ISFIFO, "is a FIFO (named pipe)"),
    (stat.S_ISSOCK, "is a socket"),
)


def output_target(target: Union[str, Path]) -> Path:
    """The regular file ``-o target`` will replace, after checking it can be written.

    A symbolic link is followed: its target is written, and the link stays.  A
    device, FIFO, socket or directory is refused, and so is a folder that does not
    exist, is no folder, or is not writable; each with an :class:`OutputError`.
    """
    given = Path(target)
    try:
        real = Path(os.path.realpath(given))
        info: Optional[os.stat_result] = os.stat(real) if os.path.lexists(real) else None
    except OSError as exc:  # a symbolic-link loop, a name too long
        raise OutputError(given, f"cannot be written: {exc.strerror or exc}") from None
    shown = given if real == Path(os.path.abspath(given)) else f"{given} (→ {real})"
    if info is not None:
        for test, what in _KINDS:
            if test(info.st_mode):
                raise OutputError(shown, f"{what}; -o writes regular files only")
    folder = real.parent
    if not folder.exists():
        raise OutputError(shown, f"cannot be written: folder {folder} does not exist")
    if not folder.is_dir():
        raise OutputError(shown, f"cannot be written: {folder} is not a folder")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise OutputError(shown, f"cannot be written: folder {folder} is not writable")
    if info is not None and not os.access(real, os.W_OK):
        raise OutputError(shown, "cannot be written: the file is read-only")
    return real


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


class Interrupted(SystemExit):
    """SIGTERM or SIGHUP arrived while an output file was being written (exit status 128 + signal)."""

    def __init__(self, signum: int) -> None:
        super().__init__(128 + signum)
        self.signum = signum


CLEANUP_SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name))


@contextmanager
def signals_raise() -> Iterator[None]:
    """While writing, SIGTERM and SIGHUP raise :class:`Interrupted` so the temporary file is removed.

    Only in the main thread (the only one that may set handlers), and a signal the
    process was told to ignore (``nohup``) stays ignored.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum: int, frame: Any) -> None:
        raise Interrupted(signum)

    previous = {}
    for signum in CLEANUP_SIGNALS:
        old = signal.getsignal(signum)
        if old is not signal.SIG_IGN:
            previous[signum] = old
            signal.signal(signum, handler)
    try:
        yield
    finally:
        for signum, old in previous.items():
            signal.signal(signum, old)


def atomic_write(target: Union[str, Path], write: Callable[[TextIO], None]) -> None:
    """Write through a temporary file in the same folder, renamed into place on success.

    Only regular files are written (see :func:`output_target`): a symbolic link's
    target is replaced and the link stays; a device, FIFO or directory raises
    :class:`OutputError`.  A new file gets the mode the umask gives, an existing one
    keeps its mode (and, where allowed, its owner).  A failure, or SIGTERM or SIGHUP
    during the write, leaves no temporary file behind and the old file untouched;
    the signals end the process with status 128 + the signal number.
    """
    real = output_target(target)
    try:
        old = os.stat(real)
    except FileNotFoundError:
        old = None
    tmp: Optional[str] = None
    with signals_raise():
        try:
            fd, tmp = tempfile.mkstemp(prefix=f".{real.name}.", suffix=".tmp", dir=real.parent)
            if old is not None:
                os.chmod(tmp, stat.S_IMODE(old.st_mode))
                if hasattr(os, "chown") and (old.st_uid, old.st_gid) != (os.geteuid(), os.getegid()):
                    try:
                        os.chown(tmp, old.st_uid, old.st_gid)
                    except OSError:
                        pass  # only root may give a file away: it keeps the writer's owner
            else:
                os.chmod(tmp, 0o666 & ~_umask())
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
                write(fh)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, real)
        except BaseException:
            if tmp is not None:
                try:
                    os.unlink(tmp)
                except FileNotFoundError:
                    pass
            raise
