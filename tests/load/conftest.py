"""The load harness (bench/load/) as a library for the tests: simulated students over Streamlit's protocol."""

from __future__ import annotations

import sys

from sourcecheck.lessons.paths import PROJECT_ROOT

for folder in (PROJECT_ROOT / "bench", PROJECT_ROOT / "bench" / "load"):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))
