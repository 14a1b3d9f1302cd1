"""Writing the plugin's own files into the built site, at the cost of the system calls alone.

Why not MkDocs' ``write_file`` or ``open()``: a large knowledge base writes some 32,000 files
of its own (a page per term, three export files per listed work), and a buffered file object,
plus a ``makedirs`` before each file, cost 40 µs a file where ``os.open``/``os.write`` cost 16
(measured on this project's machine): about 0.8 s of a large build. Folders are created only
when the first attempt finds one missing.
"""

from __future__ import annotations

import os

_CREATE = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0)  # O_BINARY: Windows only


def write_site_file(path: str, content: bytes) -> None:
    """Write ``content`` to ``path``, replacing any file there and creating missing folders."""
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
