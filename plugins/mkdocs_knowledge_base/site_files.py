"""Writing the plugin's own files into the built site: cheaply, and while the site is rendered.

Why not MkDocs' ``write_file`` or ``open()``: a large knowledge base writes some 32,000 files
of its own (a page per term, three export files per listed work), and a buffered file object,
plus a ``makedirs`` before each file, cost 40 µs a file where ``os.open``/``os.write`` cost 16
(measured on this project's machine). Folders are created only when the first attempt finds
one missing.

Why in a child process (``write_files``): making those files takes seconds of a large build
(formatting every work in three formats, assembling every term page), and creating tens of
thousands of small files is slow on many file systems, the more so while a build fills the
disk cache (on this project's machine 90 to 170 µs a file during a build, against 16 alone).
None of it is needed by the pages MkDocs renders next, so a forked child does it on another
core meanwhile, from a copy of the build's data that costs nothing to make (fork shares the
parent's memory until either side writes to it). Where forking is not safe — not Linux, or
other threads running, as under ``mkdocs serve`` — the files are written in the process
itself, with the same bytes.
"""

from __future__ import annotations

import gc
import os
import signal
import sys
import threading
from collections.abc import Iterable

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
            view = memoryview(content)
            while view:  # os.write may write less than asked
                view = view[os.write(descriptor, view):]
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


class Writing:
    """Files being written: in a child process, or already written by this one."""

    def __init__(self, child: int | None = None, errors: int | None = None) -> None:
        self._child = child
        self._errors = errors

    @property
    def in_child(self) -> bool:
        """Whether a child process writes the files (until ``wait`` returned)."""
        return self._child is not None

    def wait(self) -> None:
        """Return once every file is written; raise ``WriteFailed`` if one could not be."""
        if self._child is None or self._errors is None:
            return
        child, errors = self._child, self._errors
        self._child = self._errors = None
        with os.fdopen(errors, "rb") as pipe:
            message = pipe.read().decode("utf-8", "replace")
        _, status = os.waitpid(child, 0)
        if message or status:
            raise WriteFailed(message or f"the process writing the site's files ended with status {status}")

    def cancel(self) -> None:
        """Stop a child still writing (the build failed: its files are not wanted)."""
        if self._child is not None:
            try:
                os.kill(self._child, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                self.wait()
            except WriteFailed:
                pass


def write_files(files: Iterable[SiteFile], *, in_background: bool) -> Writing:
    """Write ``files`` (made as they are iterated), in a forked child when ``in_background``
    and ``forking_is_safe()``, else here and now. ``Writing.wait`` tells when they are done."""
    if not (in_background and forking_is_safe()):
        _write_all(files)
        return Writing()
    sys.stdout.flush()
    sys.stderr.flush()
    errors, errors_in_child = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover (runs in the child; its effects are tested)
        status = 0
        try:
            os.close(errors)
            # The child lives for seconds and exits: collecting garbage would only touch, and so
            # copy, the parent's memory it shares.
            gc.disable()
            _write_all(files)
        except BaseException as error:  # anything: the parent must hear of it, never a traceback
            message = str(error) if isinstance(error, WriteFailed) else f"{type(error).__name__}: {error}"
            os.write(errors_in_child, message.encode("utf-8", "replace") or b"failed")
            status = 1
        finally:
            os._exit(status)  # no atexit handlers, no flushing of the parent's buffers twice
    os.close(errors_in_child)
    return Writing(child, errors)
