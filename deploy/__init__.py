"""Running SourceCheck on one machine the way a school runs it: processes, nginx, PostgreSQL (docs/deploy.md)."""
