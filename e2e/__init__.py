"""Browser tests (``make e2e``): Playwright and Debian's Chromium against a real server."""
