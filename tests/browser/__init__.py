"""Browser tests (Playwright + system Chromium)."""
