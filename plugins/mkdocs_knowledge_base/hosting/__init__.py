"""Checks that keep a built site self-contained (no third-party assets)."""
