"""``write_site_file``: the bytes given, folders made, an older longer file replaced, permissions
as ``open()`` gives; ``write_in_background``: the same files whether a child process writes
them or not; ``start_checking``: each built file handed over checked by a child; failures
reported, never lost."""

from __future__ import annotations

import gc
import os
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from mkdocs_knowledge_base import site_files
from mkdocs_knowledge_base.site_files import SiteFile, write_site_file
from tests.conftest import REPO


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


# --- write_in_background, start_checking: in a child process, or here -------------------------------------------------
#
# A child is only forked where no other thread runs, and a test session may have some (the
# browser tests' Playwright). So what must happen in a child is checked in a fresh interpreter
# (``_in_fresh_interpreter``), by the ``_check_*`` functions below.

def _in_fresh_interpreter(check: str, tmp_path: Path) -> None:
    """Run ``check(tmp_path)`` of this module in a new Python process; fail with its output if it fails."""
    code = f"import sys; from pathlib import Path; import {__name__} as m; m.{check}(Path(sys.argv[1]))"
    result = subprocess.run([sys.executable, "-c", code, str(tmp_path)], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def _files(folder: Path, count: int, made: list[str]) -> Iterator[SiteFile]:
    """``count`` files in ``folder``, noting in ``made`` each one as it is made."""
    for number in range(count):
        made.append(str(number))
        yield str(folder / f"{number}" / "index.html"), f"<p>page {number} – ü</p>".encode() * number


def _check_files_are_written(tmp_path: Path, *, in_background: bool = True) -> None:
    made: list[str] = []
    writing = site_files.write_in_background(_files(tmp_path, 50, made), in_background=in_background)
    assert writing.in_child == in_background
    writing.wait()
    assert sorted(path.parent.name for path in tmp_path.rglob("index.html")) == sorted(map(str, range(50)))
    assert (tmp_path / "7" / "index.html").read_bytes() == "<p>page 7 – ü</p>".encode() * 7
    # In the background, the files are made by the child: nothing of it happens here.
    assert made == ([] if in_background else list(map(str, range(50))))


def _check_a_failure_in_the_child_reaches_the_parent_as_a_message(tmp_path: Path) -> None:
    (tmp_path / "taken").write_text("a file where a folder should be")
    writing = site_files.write_in_background([(str(tmp_path / "taken" / "x.bib"), b"@book{x}")], in_background=True)
    with pytest.raises(site_files.WriteFailed, match=r"cannot write .*taken/x\.bib"):
        writing.wait()

    def broken() -> Iterator[SiteFile]:
        yield str(tmp_path / "fine.ris"), b"TY  - BOOK"
        raise ValueError("a bug while making a page")

    writing = site_files.write_in_background(broken(), in_background=True)
    with pytest.raises(site_files.WriteFailed, match="ValueError: a bug while making a page"):
        writing.wait()
    assert (tmp_path / "fine.ris").read_bytes() == b"TY  - BOOK"


def _check_cancel_stops_a_child_still_writing(tmp_path: Path) -> None:
    def endless() -> Iterator[SiteFile]:
        number = 0
        while True:
            number += 1
            time.sleep(0.01)
            yield str(tmp_path / f"{number}.bib"), b"@misc{x}"

    writing = site_files.write_in_background(endless(), in_background=True)
    assert writing.in_child
    started = time.monotonic()
    writing.cancel()
    assert time.monotonic() - started < 5
    writing.wait()  # nothing left to wait for


def _check_built_files_are_checked_once_written(tmp_path: Path) -> None:
    pages = [tmp_path / f"page-{number}.html" for number in range(3)]
    checking = site_files.start_checking(lambda name, text: [f"{name}: {text}"], lambda: ["site complete"],
                                         in_background=True)
    assert checking.in_child
    for number, page in enumerate(pages):
        checking.check_when_written(f"page {number}.md", str(page))
        if number != 1:  # page 1 is never written: nothing to check
            page.write_text(f"<p>page {number} – ü</p>", encoding="utf-8")
    assert checking.finish() == ["page 0.md: <p>page 0 – ü</p>", "page 2.md: <p>page 2 – ü</p>", "site complete"]
    assert gc.get_freeze_count() == 0, "the objects frozen for the fork are collected again"


def _check_a_failing_check_reaches_the_parent_as_a_message(tmp_path: Path) -> None:
    def check(name: str, text: str) -> list[str]:
        raise ValueError(f"a bug while checking {name}")

    checking = site_files.start_checking(check, lambda: [], in_background=True)
    (tmp_path / "page.html").write_text("<p>x</p>")
    checking.check_when_written("page.md", str(tmp_path / "page.html"))
    with pytest.raises(site_files.WriteFailed, match="ValueError: a bug while checking page.md"):
        checking.finish()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="files are written in a child process on Linux only")
@pytest.mark.parametrize("check", ["_check_files_are_written", "_check_a_failure_in_the_child_reaches_the_parent_as_a_message",
                                   "_check_cancel_stops_a_child_still_writing",
                                   "_check_built_files_are_checked_once_written",
                                   "_check_a_failing_check_reaches_the_parent_as_a_message"])
def test_in_a_child_process(check: str, tmp_path: Path) -> None:
    _in_fresh_interpreter(check, tmp_path)


def test_written_here_when_not_in_background(tmp_path: Path) -> None:
    _check_files_are_written(tmp_path, in_background=False)


def test_a_failure_here_raises_at_once(tmp_path: Path) -> None:
    (tmp_path / "taken").write_text("a file where a folder should be")
    with pytest.raises(site_files.WriteFailed, match=r"cannot write .*taken/x\.bib"):
        site_files.write_in_background([(str(tmp_path / "taken" / "x.bib"), b"@book{x}")], in_background=False)


def test_forking_is_not_safe_with_another_thread_running() -> None:
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert not site_files.forking_is_safe()
        assert not site_files.write_in_background([], in_background=True).in_child
        assert not site_files.start_checking(lambda name, text: [], lambda: [], in_background=True).in_child
    finally:
        stop.set()
        thread.join()
