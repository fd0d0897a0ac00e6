"""Courses (issue 18): students known across weeks by a personal code, without accounts or e-mail.

- courses: a class group with the date its data is purged (retention_until).
- students: a roster name, the scrypt hash of the personal code, and the student token their class seats use.
- student_devices: a hash of a browser's device cookie, remembering which student it belongs to, until the course's
  retention_until.
- course_classes: which classes belong to a course (and, for a check's class, the check, phase and form).
- student_seats: which course student a class participant is.
- check_schedule, form_rotations: a course's checks and each student's counterbalanced order of forms.

New tables only: a one-off class is unchanged (it has no row in any of them).

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

_TZ = sa.DateTime(timezone=True)


def _fk(column: str, table: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], [f"{target}.id"], name=f"fk_{table}_{column}_{target}",
                                   ondelete="CASCADE")


def upgrade() -> None:
    op.create_table(
        "courses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(80), nullable=False),
        sa.Column("created_at", _TZ, nullable=False),
        sa.Column("retention_until", _TZ, nullable=False),
        sa.Column("request_key", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_courses"),
        sa.UniqueConstraint("request_key", name="uq_courses_request_key"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_courses_retention_until", "courses", ["retention_until"])
    op.create_table(
        "students",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("course_id", sa.Integer(), nullable=False),
        sa.Column("display_name", sa.String(80), nullable=False),
        sa.Column("name_key", sa.String(80), nullable=False),
        sa.Column("code_hash", sa.String(64), nullable=False),
        sa.Column("token", sa.String(64), nullable=False),
        sa.Column("created_at", _TZ, nullable=False),
        _fk("course_id", "students", "courses"),
        sa.PrimaryKeyConstraint("id", name="pk_students"),
        sa.UniqueConstraint("code_hash", name="uq_students_code_hash"),
        sa.UniqueConstraint("token", name="uq_students_token"),
        sa.UniqueConstraint("course_id", "name_key", name="uq_students_course_name_key"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_students_course", "students", ["course_id"])
    op.create_table(
        "student_devices",
        sa.Column("device_hash", sa.String(64), nullable=False),
        sa.Column("student_id", sa.Integer(), nullable=False),
        sa.Column("expires_at", _TZ, nullable=False),
        _fk("student_id", "student_devices", "students"),
        sa.PrimaryKeyConstraint("device_hash", name="pk_student_devices"),
    )
    op.create_index("ix_student_devices_student", "student_devices", ["student_id"])
    op.create_table(
        "course_classes",
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("course_id", sa.Integer(), nullable=False),
        sa.Column("check_id", sa.String(64), nullable=True),
        sa.Column("phase", sa.String(8), nullable=True),
        sa.Column("form", sa.String(8), nullable=True),
        _fk("session_id", "course_classes", "class_sessions"),
        _fk("course_id", "course_classes", "courses"),
        sa.PrimaryKeyConstraint("session_id", name="pk_course_classes"),
    )
    op.create_index("ix_course_classes_course", "course_classes", ["course_id"])
    op.create_table(
        "student_seats",
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("student_id", sa.Integer(), nullable=False),
        _fk("participant_id", "student_seats", "participants"),
        _fk("student_id", "student_seats", "students"),
        sa.PrimaryKeyConstraint("participant_id", name="pk_student_seats"),
    )
    op.create_index("ix_student_seats_student", "student_seats", ["student_id"])
    op.create_table(
        "check_schedule",
        sa.Column("course_id", sa.Integer(), nullable=False),
        sa.Column("check_id", sa.String(64), nullable=False),
        sa.Column("phase", sa.String(8), nullable=False),
        sa.Column("opens_at", _TZ, nullable=False),
        _fk("course_id", "check_schedule", "courses"),
        sa.PrimaryKeyConstraint("course_id", "check_id", "phase", name="pk_check_schedule"),
    )
    op.create_table(
        "form_rotations",
        sa.Column("student_id", sa.Integer(), nullable=False),
        sa.Column("check_id", sa.String(64), nullable=False),
        sa.Column("rotation", sa.Integer(), nullable=False),
        _fk("student_id", "form_rotations", "students"),
        sa.PrimaryKeyConstraint("student_id", "check_id", name="pk_form_rotations"),
    )


def downgrade() -> None:
    """Not run by the app."""
    for table in ("form_rotations", "check_schedule", "student_seats", "course_classes", "student_devices",
                  "students", "courses"):
        op.drop_table(table)
