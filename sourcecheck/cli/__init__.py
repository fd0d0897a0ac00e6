"""`python -m sourcecheck`: a thin command line over the core.

Exit codes follow click: 0 success, 1 bad content (an invalid lesson), 2 bad usage.
Each command lives in its own module and registers itself on `main`.
"""

from __future__ import annotations

import click

__all__ = ["main"]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name=None, version=__import__("sourcecheck").__version__)
def main() -> None:
    """SourceCheck: lessons that teach students to read sourcing.

    \b
    Examples:
      python -m sourcecheck validate lessons/
      python -m sourcecheck schema > lesson.schema.json
    """


from sourcecheck.cli import authoring as _authoring  # noqa: E402,F401  (registers its commands)
from sourcecheck.cli import export as _export  # noqa: E402,F401  (registers its commands)
from sourcecheck.cli import stats as _stats  # noqa: E402,F401
from sourcecheck.cli import teacher as _teacher  # noqa: E402,F401
from sourcecheck.cli import validate as _validate  # noqa: E402,F401  (registers its commands)
