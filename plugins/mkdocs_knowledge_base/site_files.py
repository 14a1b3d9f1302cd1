"""Writing the plugin's own files into the built site, and checking the built files, while the site is rendered.

Why not MkDocs' ``write_file`` or ``open()``: a large knowledge base writes some 32,000 files
of its own (a page per term, three export files per listed work), and a buffered file object,
plus a ``makedirs`` before each file, cost 40 µs a file where ``os.open``/``os.write`` cost 16
(measured on this project's machine). Folders are created only when the first attempt finds
one missing.

Why in a child process (``start_background``): making those files takes seconds of a large
build (formatting every work in three formats, assembling every term page), and creating tens
of thousands of small files is slow on many file systems, the more so while a build fills the
disk cache (on this project's machine 90 to 170 µs a file during a build, against 16 alone).
None of it is needed by the pages MkDocs renders next, so a forked child does it on another
core meanwhile, from a copy of the build's data that costs nothing to make (fork shares the
parent's memory until either side writes to it). The same child then reads back each page
MkDocs writes, to check it (the check for third-party assets reads every page, about 1 ms
each), so the build waits for neither. Where forking is not safe — not Linux, or other
threads running, as under ``mkdocs serve`` — the files are written in the process itself,
with the same bytes, and the caller checks pages as they are made.
"""

from __future__ import annotations

import gc
import os
import pickle
import signal
import sys
import threading
from collections.abc import Callable, Iterable
from typing import Any

_CREATE = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0)  # O_BINARY: Windows only

SiteFile = tuple[str, bytes]
"""(absolute path in the built site, content)."""


class WriteFailed(Exception):
    """A file of the site could not be written (disk full, no permission, ...)."""


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


def _write_all(files: Iterable[SiteFile]) -> None:
    for path, content in files:
        write_site_file(path, content)


def forking_is_safe() -> bool:
    """Whether a child may be forked from this process: on Linux, with no other thread running
    (a thread holding a lock at the fork leaves it locked for good in the child)."""
    return sys.platform.startswith("linux") and hasattr(os, "fork") and threading.active_count() == 1


CheckFile = Callable[[str, str], list[Any]]
"""``(name, text) -> problems`` of one built file (a page, by its source path)."""
Finish = Callable[[], list[Any]]
"""Problems found once the whole site is built (the last check)."""


class Background:
    """Our files being written, then the site's built files being checked: by a forked child
    (``start_background``), or already done here. ``wait`` gives what the checks found."""

    def __init__(self, child: int | None = None, results: int | None = None, built: int | None = None) -> None:
        self._child = child
        self._results = results
        self._built = built
        """Where the names and paths of built files go to the child, one per line."""
        self._pending: bytes | None = None
        self._child_gone = False

    @property
    def in_child(self) -> bool:
        """Whether a child process does the work (until ``wait`` returned)."""
        return self._child is not None

    def check_when_written(self, name: str, path: str) -> None:
        """Have the child check the built file at ``path`` (reported as ``name``), which is
        being written now: it is complete by the next call, or by ``wait`` for the last one.

        Why a file the child reads rather than the HTML itself: handing a page over costs as
        much as a copy of it, and reading it back from the disk cache costs the child no more.
        """
        line = f"{name}\t{path}\n"
        if "\n" in name or "\t" in name or "\n" in path[:-1]:
            raise ValueError(f"cannot hand over a file named {name!r} at {path!r}")
        self._send_pending()
        self._pending = line.encode("utf-8", "surrogateescape")

    def _send_pending(self) -> None:
        if self._pending is None or self._built is None:
            return
        line, self._pending = self._pending, None
        if self._child_gone:
            return
        try:
            os.write(self._built, line)  # small lines, well under the pipe's buffer between two reads
        except BrokenPipeError:
            self._child_gone = True  # it failed: ``wait`` reads why

    def wait(self) -> list[Any]:
        """Once every file is written and checked, the checks' problems; raise ``WriteFailed``
        if a file could not be written (or the child failed otherwise)."""
        if self._child is None or self._results is None or self._built is None:
            return []
        self._send_pending()
        os.close(self._built)  # the end of the built files: the child finishes
        child, results = self._child, self._results
        self._child = self._results = self._built = None
        with os.fdopen(results, "rb") as pipe:
            answer = pipe.read()
        _, status = os.waitpid(child, 0)
        if answer.startswith(_PROBLEMS) and status == 0:
            return pickle.loads(answer[len(_PROBLEMS):])
        message = answer.removeprefix(_FAILURE).decode("utf-8", "replace")
        raise WriteFailed(message or f"the process writing the site's files ended with status {status}")

    def cancel(self) -> None:
        """Stop a child still at work (the build failed: its files are not wanted)."""
        if self._child is not None:
            try:
                os.kill(self._child, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                self.wait()
            except WriteFailed:
                pass


_PROBLEMS = b"P"
_FAILURE = b"F"


def start_background(files: Iterable[SiteFile], *, in_background: bool, check: CheckFile | None = None,
                     finish: Finish | None = None) -> Background:
    """Write ``files`` (made as they are iterated), then check each built file handed over by
    ``Background.check_when_written`` with ``check`` and, once the site is built, call
    ``finish``: in a forked child when ``in_background`` and ``forking_is_safe()``. Otherwise
    the files are written here and now, and the caller does its checks itself (``in_child``
    is false)."""
    if not (in_background and forking_is_safe()):
        _write_all(files)
        return Background()
    sys.stdout.flush()
    sys.stderr.flush()
    results, results_in_child = os.pipe()
    built_in_child, built = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover (runs in the child; its effects are tested)
        status = 0
        try:
            os.close(results)
            os.close(built)
            # The child lives for seconds and exits: collecting garbage would only touch, and so
            # copy, the parent's memory it shares.
            gc.disable()
            _write_all(files)
            problems = _check_built_files(built_in_child, check) if check else []
            problems += finish() if finish else []
            _write_fully(results_in_child, _PROBLEMS + pickle.dumps(problems))
        except BaseException as error:  # anything: the parent must hear of it, never a traceback
            message = str(error) if isinstance(error, WriteFailed) else f"{type(error).__name__}: {error}"
            _write_fully(results_in_child, _FAILURE + message.encode("utf-8", "replace"))
            status = 1
        finally:
            os._exit(status)  # no atexit handlers, no flushing of the parent's buffers twice
    os.close(results_in_child)
    os.close(built_in_child)
    return Background(child, results, built)


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
