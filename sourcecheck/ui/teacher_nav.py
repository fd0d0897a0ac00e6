"""Teacher pages and who may open them: chosen per session from the sign-in state.

Signed out, every teacher URL (/teacher, /workshop, /exports, /classes, /courses, /projector, /remote,
/dashboard, /reteach, /scoring) runs the sign-in page, so a bookmark or a guessed link shows the passcode form and
never the page. After a correct passcode the real pages take those URLs; the next rerun of the same URL opens them.

Signed in means this session's flag, or, in a session that has neither signed in nor out, the browser's teacher
cookie (sessions/teacher_auth.py; ui/web.py sets it). After the passcode the page hands its browser a one-minute
ticket, and the browser trades it for the cookie (`keep_sign_in`): a reload, a new tab and the projector opened
from Classes are then signed in for 12 hours. Sign out drops both the flag and the cookie.
"""

from __future__ import annotations

import secrets
import time
from urllib.parse import urljoin, urlsplit

import streamlit as st

from sourcecheck.sessions import teacher_auth
from sourcecheck.sessions.passcode import Sleep, sign_in
from sourcecheck.ui import nav, web
from sourcecheck.ui.hashed_page import Page

__all__ = [
    "CLASSES", "COURSES", "DASHBOARD", "EXPORTS", "PROJECTOR", "REMOTE", "RETEACH", "SCORING", "SIGN_IN", "WORKSHOP",
    "keep_sign_in", "menu", "pages", "projector_link", "sign_in_form", "signed_in",
]

SIGN_IN = "sourcecheck/ui/pages/teacher_signin.py"
CLASSES = "sourcecheck/ui/pages/teacher_classes.py"
PROJECTOR = "sourcecheck/ui/pages/teacher_projector.py"
REMOTE = "sourcecheck/ui/pages/teacher_remote.py"
DASHBOARD = "sourcecheck/ui/pages/teacher_dashboard.py"
WORKSHOP = "sourcecheck/ui/pages/teacher_workshop.py"
EXPORTS = "sourcecheck/ui/pages/teacher_exports.py"
RETEACH = "sourcecheck/ui/pages/teacher_reteach.py"
COURSES = "sourcecheck/ui/pages/teacher_courses.py"
SCORING = "sourcecheck/ui/pages/teacher_scoring.py"

_SIGNED_IN = "teacher:signed-in"  # True after the passcode, False after Sign out; absent: the cookie decides
_COOKIE_REQUEST = "teacher:cookie-request"  # (route, body, id) the browser still has to send
_SIGNING_OUT = "teacher:signing-out"
_TEACHER_PATHS = ("teacher", "workshop", "exports", "classes", "courses", "projector", "remote", "dashboard",
                  "reteach", "scoring")
# every session key the teacher pages use starts with one of these
_OWN_KEYS = ("teacher:", "ws-", "ex-", "cls-", "crs-", "pj-", "db-", "sc-")
# How the sign-in form waits after a wrong passcode: the real clock. Read at each attempt, so page tests replace it
# with a recorder (tests/teacher_helpers.py) and assert the wait instead of spending it.
wrong_passcode_sleep: Sleep = time.sleep


def signed_in() -> bool:
    flag = st.session_state.get(_SIGNED_IN)
    if flag is not None:
        return flag is True
    cookie = _cookie()
    if not cookie:  # most sessions: no cookie, nothing to read or compute
        return False
    return teacher_auth.verify(cookie, teacher_auth.current_key(), "session", time.time()) is not None


def _cookie() -> str | None:
    """The teacher cookie the browser sent when this session's websocket opened (never one set later)."""
    value = st.context.cookies.get(teacher_auth.COOKIE)
    return value if isinstance(value, str) else None


def pages() -> list[st.Page]:
    """The teacher's pages for st.navigation: the real ones only after the passcode."""
    if signed_in():
        return [
            Page(SIGN_IN, title="Teacher", icon=":material/school:", url_path="teacher"),
            Page(WORKSHOP, title="Lesson workshop", icon=":material/edit_note:", url_path="workshop"),
            Page(EXPORTS, title="Exports", icon=":material/download:", url_path="exports"),
            Page(CLASSES, title="Classes", icon=":material/groups:", url_path="classes"),
            Page(COURSES, title="Courses", icon=":material/school:", url_path="courses"),
            Page(PROJECTOR, title="Projector", icon=":material/present_to_all:", url_path="projector"),
            Page(REMOTE, title="Class remote", icon=":material/settings_remote:", url_path="remote"),
            Page(DASHBOARD, title="Results", icon=":material/monitoring:", url_path="dashboard"),
            Page(SCORING, title="Score written answers", icon=":material/draw:", url_path="scoring"),
            Page(RETEACH, title="Reteach", icon=":material/replay:", url_path="reteach", visibility="hidden"),
        ]
    return [Page(SIGN_IN, title="Teacher sign-in", icon=":material/lock:", url_path=path, visibility="hidden")
            for path in _TEACHER_PATHS]


def sign_in_form() -> None:
    st.title("Teacher sign-in", anchor=False)
    st.markdown("Lesson writing and exports are for teachers. Enter the teacher passcode to open them.")
    st.caption("Whoever runs the app can show the passcode with `python -m sourcecheck passcode`.")
    with st.form("teacher:sign-in-form", clear_on_submit=True):
        attempt = st.text_input("Teacher passcode", type="password", key="teacher:passcode",
                                autocomplete="current-password")
        submitted = st.form_submit_button("Sign in", type="primary", icon=":material/login:", key="teacher:sign-in")
    if submitted:
        if sign_in(attempt, sleep=wrong_passcode_sleep):
            st.session_state[_SIGNED_IN] = True
            ticket = teacher_auth.issue(teacher_auth.current_key(), "ticket", teacher_auth.TICKET_SECONDS, time.time())
            st.session_state[_COOKIE_REQUEST] = (web.route_path(web.TEACHER_SIGN_IN), ticket, secrets.token_hex(6))
            st.rerun()
        st.error("That passcode is not right. Check it and try again.", icon=":material/lock:")
    st.page_link(nav.CATALOG, label="Back to the lessons", icon=":material/arrow_back:")


def menu() -> None:
    """Links between the teacher pages and a way out, at the top of each of them."""
    with st.container(horizontal=True, key="teacher:menu", vertical_alignment="center"):
        st.page_link(WORKSHOP, label="Workshop", icon=":material/edit_note:")
        st.page_link(EXPORTS, label="Exports", icon=":material/download:")
        st.page_link(CLASSES, label="Classes", icon=":material/groups:")
        st.page_link(COURSES, label="Courses", icon=":material/school:")
        st.page_link(DASHBOARD, label="Results", icon=":material/monitoring:")
        st.page_link(SCORING, label="Scoring", icon=":material/draw:")
        st.page_link(nav.CATALOG, label="Student view", icon=":material/menu_book:")
        st.button("Sign out", key="teacher:sign-out", icon=":material/logout:", on_click=_sign_out)


def _sign_out() -> None:
    """Sign out of this session and have the browser drop its cookie. The session still holds the cookie it opened
    with: the False flag outvotes it. What the teacher pages kept (drafts included) goes at the start of the run
    (`keep_sign_in`), not here: other widgets' callbacks of this same click still read their own keys."""
    st.session_state[_SIGNED_IN] = False
    st.session_state[_SIGNING_OUT] = True
    st.session_state[_COOKIE_REQUEST] = (web.route_path(web.TEACHER_SIGN_OUT), "", secrets.token_hex(6))


def projector_link(session_id: int) -> None:
    """The projector view in a new tab (the one dragged to the classroom screen), where the cookie signs it in.
    A link that opens a new tab needs a whole address: this page's, with the projector's path and the class."""
    here = st.context.url or ""
    if urlsplit(here).scheme in ("http", "https"):
        st.page_link(urljoin(here, f"projector?session={session_id}"), label="Open the projector view",
                     icon=":material/present_to_all:")
    else:  # no browser address known (a page test): the same page in this tab
        st.page_link(PROJECTOR, label="Open the projector view", icon=":material/present_to_all:",
                     query_params={"session": str(session_id)})


_cookie_request = st.components.v2.component(
    "sourcecheck_teacher_cookie",
    js="""
const SENT = new Set(); // requests this page has made: the same one mounted again is not sent again
export default function mount({ data }) {
  if (!data || SENT.has(data.id)) return;
  SENT.add(data.id);
  fetch(data.url, { method: "POST", body: data.body, credentials: "same-origin", cache: "no-store" });
}
""",
)


def keep_sign_in() -> None:
    """Before any page runs: a sign-out's clean-up (everything the teacher pages kept in this session), and right
    after a sign-in or a sign-out the browser's request for its cookie (or for dropping it), an invisible element
    drawn in that one run. It does not report back: a rerun of its own would race the run that swaps the teacher
    page for the form, and the browser would then report the old page's widgets, whose keys are gone."""
    if st.session_state.pop(_SIGNING_OUT, False):
        kept = (_SIGNED_IN, _COOKIE_REQUEST)
        for name in [k for k in st.session_state if isinstance(k, str) and k.startswith(_OWN_KEYS) and k not in kept]:
            del st.session_state[name]
    request = st.session_state.pop(_COOKIE_REQUEST, None)
    if request is not None:
        url, body, ident = request
        _cookie_request(key=f"teacher:cookie-{ident}", data={"url": url, "body": body, "id": ident}, height=0)
