"""Writing the plugin's own files into the built site, and checking the built files, while the site is rendered.

Why not MkDocs' ``write_file`` or ``open()``: a large knowledge base writes some 32,000 files
of its own (a page per term, three export files per listed work), and a buffered file object,
plus a ``makedirs`` before each file, cost 40 µs a file where ``os.open``/``os.write`` cost 16
(measured on this project's machine). Folders are created only when the first attempt finds
one missing.

Why in child processes: making those files takes seconds of a large build (formatting every
work in three formats, assembling every term page), and creating tens of thousands of small
files is slow on many file systems, the more so while a build fills the disk cache (on this
project's machine 90 to 170 µs a file during a build, against 16 alone). None of it is needed
by the pages MkDocs renders next, so a forked child (``write_in_background``) does it on another
core meanwhile, from a copy of the build's data that costs nothing to make. Likewise, checking
every page MkDocs writes (the check for third-party assets reads each, about 1 ms a page) is
done by a child reading them back from the disk (``start_checking``).

Why two children, and forked when they are: a forked child shares the parent's memory until
either writes to a page of it, which the parent keeps doing (reference counts, garbage
collection), so a child ends up holding a private copy of every page of the parent's heap
that either of them touched while it lived. The writer must start from the build's data, so
it is forked once pages are converted and lives only while it writes (seconds). The checker
needs none of it, so it is forked before the data is loaded, when the parent's heap is little
more than the imported code, and that heap is frozen out of garbage collection first
(``gc.freeze``, as CPython's documentation recommends before forking workers).

Where forking is not safe — not Linux, or other threads running, as under ``mkdocs serve`` —
the files are written in the process itself, with the same bytes, and the caller checks
pages as they are made.
"""

from __future__ import annotations

import gc
import os
import pickle
import signal
import sys
import threading
from collections.abc import Callable, Iterable
from typing import Any, BinaryIO

_CREATE = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0)  # O_BINARY: Windows only

SiteFile = tuple[str, bytes]
"""(absolute path in the built site, content)."""

CheckFile = Callable[[str, str], list[Any]]
"""``(name, text) -> problems`` of one built file (a page, by its source path)."""
Finish = Callable[[], list[Any]]
"""Problems found once the whole site is built (the last check)."""


class WriteFailed(Exception):
    """A file of the site could not be written (disk full, no permission, ...), or a child failed."""


def write_site_file(path: str, content: bytes) -> None:
    """Write ``content`` to ``path``, replacing any file there and creating missing folders."""
    try:
        try:
            descriptor = os.open(path, _CREATE, 0o666)  # 0o666 less the umask, as open() gives
        except FileNotFoundError:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            descriptor = os.open(path, _CREATE, 0o666)
        try:
            _write_fully(descriptor, content)
        finally:
            os.close(descriptor)
    except OSError as error:
        raise WriteFailed(f"cannot write {path}: {error.strerror}") from None


def open_site_file(path: str) -> BinaryIO:
    """``path`` opened to be written bit by bit (a file too large to hold whole), folders made."""
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        return open(path, "wb", buffering=1 << 20)
    except OSError as error:
        raise WriteFailed(f"cannot write {path}: {error.strerror}") from None


def _write_all(files: Iterable[SiteFile]) -> list[Any]:
    for path, content in files:
        write_site_file(path, content)
    return []


def forking_is_safe() -> bool:
    """Whether a child may be forked from this process: on Linux, with no other thread running
    (a thread holding a lock at the fork leaves it locked for good in the child)."""
    return sys.platform.startswith("linux") and hasattr(os, "fork") and threading.active_count() == 1


_PROBLEMS = b"P"
_FAILURE = b"F"


class _Child:
    """A forked child, the pipe its answer comes through, and the pipe it reads (if any)."""

    def __init__(self, pid: int, answer: int, requests: int | None) -> None:
        self.pid = pid
        self.answer = answer
        self.requests = requests
        self.gone = False
        """It closed its end of ``requests`` (it failed; its answer says why)."""

    def send(self, data: bytes) -> None:
        if self.requests is None or self.gone:
            return
        try:
            _write_fully(self.requests, data)
        except BrokenPipeError:
            self.gone = True

    def join(self) -> list[Any]:
        """Close the requests, wait for the answer: the problems found, or ``WriteFailed``.
        The objects frozen before the fork (``_fork``) are collectable again."""
        try:
            if self.requests is not None:
                os.close(self.requests)
            with os.fdopen(self.answer, "rb") as pipe:
                answer = pipe.read()
            _, status = os.waitpid(self.pid, 0)
        finally:
            gc.unfreeze()
        if answer.startswith(_PROBLEMS) and status == 0:
            return pickle.loads(answer[len(_PROBLEMS):])
        message = answer.removeprefix(_FAILURE).decode("utf-8", "replace")
        raise WriteFailed(message or f"a process writing or checking the site's files ended with status {status}")

    def kill(self) -> None:
        try:
            os.kill(self.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        try:
            self.join()
        except WriteFailed:
            pass


def _fork(work: Callable[[int | None], list[Any]], *, with_requests: bool) -> _Child:
    """Run ``work(requests)`` in a forked child and send its problems back (``_Child.join``).

    This process's objects are frozen out of garbage collection first, until the child is
    joined: its collections would otherwise touch, and so make the child copy, every page
    holding one of them (see the module docstring).
    """
    sys.stdout.flush()
    sys.stderr.flush()
    answer, answer_in_child = os.pipe()
    requests_in_child, requests = os.pipe() if with_requests else (None, None)
    gc.freeze()
    try:
        pid = os.fork()
    except BaseException:
        gc.unfreeze()
        raise
    if pid == 0:  # pragma: no cover (runs in the child; its effects are tested)
        status = 0
        try:
            os.close(answer)
            if requests is not None:
                os.close(requests)
            # The child does one job and exits: collecting garbage would only touch, and so
            # copy, the parent's memory it shares.
            gc.disable()
            _write_fully(answer_in_child, _PROBLEMS + pickle.dumps(work(requests_in_child)))
        except BaseException as error:  # anything: the parent must hear of it, never a traceback
            message = str(error) if isinstance(error, WriteFailed) else f"{type(error).__name__}: {error}"
            _write_fully(answer_in_child, _FAILURE + message.encode("utf-8", "replace"))
            status = 1
        finally:
            os._exit(status)  # no atexit handlers, no flushing of the parent's buffers twice
    os.close(answer_in_child)
    if requests_in_child is not None:
        os.close(requests_in_child)
    return _Child(pid, answer, requests)


class Writing:
    """Our files being written: by a child process, or already written by this one."""

    def __init__(self, child: _Child | None = None) -> None:
        self._child = child

    @property
    def in_child(self) -> bool:
        """Whether a child process writes the files (until ``wait`` returned)."""
        return self._child is not None

    def wait(self) -> None:
        """Return once every file is written; raise ``WriteFailed`` if one could not be."""
        child, self._child = self._child, None
        if child is not None:
            child.join()

    def cancel(self) -> None:
        """Stop a child still writing (the build failed: its files are not wanted)."""
        child, self._child = self._child, None
        if child is not None:
            child.kill()


def write_in_background(files: Iterable[SiteFile], *, in_background: bool) -> Writing:
    """Write ``files`` (made as they are iterated): in a forked child when ``in_background``
    and ``forking_is_safe()``, else here and now (raising ``WriteFailed`` at once)."""
    if not will_fork(in_background):
        _write_all(files)
        return Writing()
    return Writing(_fork(lambda _: _write_all(files), with_requests=False))


def will_fork(in_background: bool) -> bool:
    """Whether ``write_in_background`` and ``start_checking`` will fork a child now."""
    return in_background and forking_is_safe()


class Checking:
    """Built files being checked by a child process, or by the caller (``in_child`` false)."""

    def __init__(self, child: _Child | None = None) -> None:
        self._child = child
        self._pending: bytes | None = None

    @property
    def in_child(self) -> bool:
        """Whether a child process checks the files (until ``finish`` returned)."""
        return self._child is not None

    def check_when_written(self, name: str, path: str) -> None:
        """Have the child check the built file at ``path`` (reported as ``name``), which is
        being written now: it is complete by the next call, or by ``finish`` for the last one.

        Why a file the child reads rather than the HTML itself: handing a page over costs as
        much as a copy of it, and reading it back from the disk cache costs the child no more.
        """
        if "\n" in name or "\t" in name or "\n" in path:
            raise ValueError(f"cannot hand over a file named {name!r} at {path!r}")
        self._send_pending()
        self._pending = f"{name}\t{path}\n".encode("utf-8", "surrogateescape")

    def _send_pending(self) -> None:
        if self._pending is not None and self._child is not None:
            self._child.send(self._pending)  # small lines, far below the pipe's buffer between two reads
        self._pending = None

    def finish(self) -> list[Any]:
        """Once every handed-over file is checked and ``finish`` of ``start_checking`` ran, the
        problems found; ``WriteFailed`` if the child failed."""
        self._send_pending()
        child, self._child = self._child, None
        return child.join() if child is not None else []

    def cancel(self) -> None:
        """Stop the child (the build failed)."""
        child, self._child = self._child, None
        if child is not None:
            child.kill()


def start_checking(check: CheckFile, finish: Finish, *, in_background: bool) -> Checking:
    """A child that checks each file handed over by ``Checking.check_when_written`` with
    ``check``, then, once the site is built, calls ``finish``; forked now when ``in_background``
    and ``forking_is_safe()``. Otherwise ``in_child`` is false and the caller checks the files itself."""
    if not will_fork(in_background):
        return Checking()

    def work(requests: int | None) -> list[Any]:
        assert requests is not None
        return [*_check_built_files(requests, check), *finish()]

    return Checking(_fork(work, with_requests=True))


def _check_built_files(built: int, check: CheckFile) -> list[Any]:
    """Check each file named on the pipe ``built`` until the parent closes it (a file that is
    not there, because the site generator wrote nothing for it, has nothing to check)."""
    problems: list[Any] = []
    with os.fdopen(built, "rb") as lines:
        for line in lines:
            name, _, path = line.rstrip(b"\n").decode("utf-8", "surrogateescape").partition("\t")
            try:
                with open(path, "rb") as written:
                    text = written.read().decode("utf-8")
            except FileNotFoundError:
                continue
            problems += check(name, text)
    return problems


def _write_fully(descriptor: int, data: bytes) -> None:
    """``os.write`` until all of ``data`` is written (it may write less than asked)."""
    view = memoryview(data)
    while view:
        view = view[os.write(descriptor, view):]
