"""`python -m sourcecheck`: a thin command line over the core.

Exit codes follow click: 0 success, 1 bad content (an invalid lesson), 2 bad usage; failures are
raised as `CommandFailed` (cli/errors.py). Each command lives in its own module and is added below.
"""

from __future__ import annotations

import click

from sourcecheck.cli import agreement, authoring, discernment, export, stats, teacher, validate

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


for command in (validate.validate, validate.schema, authoring.add_document_command, authoring.new, authoring.quote,
                authoring.preview, export.export_command, stats.stats, teacher.passcode,
                discernment.discernment, agreement.agreement):
    main.add_command(command)
