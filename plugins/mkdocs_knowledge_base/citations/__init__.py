"""Pandoc-style citations (``[@key, p. 3]``) turned into numbered notes."""
