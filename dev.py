#!/usr/bin/env python3
"""One entry point for the two things a newcomer needs: serve the site, run the tests.

Only Python 3.11+ is assumed. Each command creates `.venv` (or refreshes it when
`pyproject.toml` changed) and installs the project with its test extras, so a fresh
clone needs nothing else:

    python3 dev.py serve     # build the bundled knowledge base and serve it on :8000
    python3 dev.py test      # run the whole test suite
    python3 dev.py build     # build the site into ./site (strict)
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
STAMP = VENV / ".installed-from"


def _requirements_fingerprint() -> str:
    """Hash of what decides the installed set, so the venv is refreshed only when it changes."""
    return hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()


def ensure_environment() -> None:
    """Create the virtual environment and install the project into it when needed."""
    if not (BIN / "python").exists():
        print(f"[dev] creating {VENV.relative_to(ROOT)}", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    fingerprint = _requirements_fingerprint()
    if STAMP.exists() and STAMP.read_text() == fingerprint:
        return
    print("[dev] installing the project and its test tools", flush=True)
    pip = [str(BIN / "python"), "-m", "pip", "install", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "-e", f"{ROOT}[test]"], check=True, cwd=ROOT)
    STAMP.write_text(fingerprint)


def run(tool: str, *args: str) -> int:
    """Run a tool from the virtual environment in the project root and return its exit code."""
    return subprocess.run([str(BIN / tool), *args], cwd=ROOT).returncode


def main(argv: list[str]) -> int:
    command, *rest = argv or ["help"]
    if command not in {"serve", "test", "build"}:
        print(__doc__)
        return 0 if command == "help" else 2
    ensure_environment()
    if command == "serve":
        return run("mkdocs", "serve", "--strict", *rest)
    if command == "build":
        return run("mkdocs", "build", "--strict", *rest)
    return run("pytest", *rest)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
