"""Test suite; a package so helpers are imported unambiguously as ``tests.conftest`` (two conftest.py exist)."""
