"""The browser tests' fixtures (a real server, a real Chromium) live in tests/browser_support.py, shared with
tests/security/; this file only makes them fixtures here."""

from browser_support import ARTIFACTS, CHROMIUM_ARGS, IDLE, StartServer, browser, require_chromium, start_server

__all__ = ["ARTIFACTS", "CHROMIUM_ARGS", "IDLE", "StartServer", "browser", "require_chromium", "start_server"]
