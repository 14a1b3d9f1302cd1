"""``write_site_file``: the bytes given, folders made, an older longer file replaced, permissions as ``open()`` gives."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from mkdocs_knowledge_base.site_files import write_site_file


def test_creates_missing_folders_and_writes_the_bytes(tmp_path: Path) -> None:
    target = tmp_path / "terms" / "attachment" / "index.html"
    content = "<p>Noroña – “attachment”</p>".encode() * 50_000  # several megabytes
    write_site_file(str(target), content)
    assert target.read_bytes() == content


def test_replaces_a_longer_file_entirely(tmp_path: Path) -> None:
    target = tmp_path / "bowlby1969.bib"
    target.write_bytes(b"x" * 1000)
    write_site_file(str(target), b"@book{bowlby1969}")
    assert target.read_bytes() == b"@book{bowlby1969}"


def test_permissions_are_those_open_gives(tmp_path: Path) -> None:
    write_site_file(str(tmp_path / "ours.ris"), b"TY  - BOOK")
    (tmp_path / "opened.ris").write_bytes(b"TY  - BOOK")
    mode = stat.S_IMODE(os.stat(tmp_path / "ours.ris").st_mode)
    assert mode == stat.S_IMODE(os.stat(tmp_path / "opened.ris").st_mode)
