"""Page scripts, as paths relative to app.py: st.Page, st.switch_page and AppTest all name pages this way."""

from __future__ import annotations

__all__ = ["CATALOG", "CLASS", "COURSE", "JOIN", "QUIZ"]

CATALOG = "sourcecheck/ui/pages/catalog.py"
QUIZ = "sourcecheck/ui/pages/quiz.py"
JOIN = "sourcecheck/ui/pages/join.py"
CLASS = "sourcecheck/ui/pages/class_room.py"
COURSE = "sourcecheck/ui/pages/course_home.py"
