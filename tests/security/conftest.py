"""The security suite's browser fixtures: the same real server and Chromium as tests/e2e/."""

from browser_support import ARTIFACTS, IDLE, StartServer, browser, start_server

__all__ = ["ARTIFACTS", "IDLE", "StartServer", "browser", "start_server"]
