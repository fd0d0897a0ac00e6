"""The web layer (ui/web.py): the device cookie on page responses and the teacher cookie's two routes, driven as
ASGI calls (no HTTP client library needed); and how app.py is both st.App and the page script."""

from __future__ import annotations

import asyncio
import gzip
import time
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any

import pytest
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, Response
from starlette.routing import Route
from streamlit.testing.v1 import AppTest
from streamlit.web.server.app_discovery import discover_asgi_app
from teacher_helpers import PASSCODE, enter_passcode, open_sign_in, signed_in, use_passcode

from sourcecheck.lessons.paths import PROJECT_ROOT
from sourcecheck.sessions import teacher_auth
from sourcecheck.ui import style, teacher_nav, web


async def _page(_: Request) -> Response:
    return HTMLResponse("<html></html>")


async def _script(_: Request) -> Response:
    return PlainTextResponse("console.log(1)", media_type="text/javascript")


async def _cached_page(_: Request) -> Response:  # as Streamlit serves index.html: "no-cache" lets a proxy keep it
    return HTMLResponse("<html></html>", headers={"Cache-Control": "no-cache"})


# As Streamlit's index.html, and long enough for its gzip middleware.
INDEX = b"<!DOCTYPE html><html><head><title>Streamlit</title></head><body><div id='root'></div></body></html>" + (
    b"<!-- " + b"x" * 600 + b" -->")


async def _index(_: Request) -> Response:
    return HTMLResponse(INDEX)


def site() -> Starlette:
    # As st.App builds it: the app's middleware around Streamlit's own, which compresses pages (GZipMiddleware).
    return Starlette(routes=[Route("/", _page), Route("/app.js", _script), Route("/index.html", _cached_page),
                             Route("/class", _index), *web.routes()],
                     middleware=[*web.middleware(), Middleware(GZipMiddleware, minimum_size=500)])


def call(method: str, path: str, *, headers: dict[str, str] | None = None, body: bytes = b"",
         scheme: str = "http") -> tuple[int, list[tuple[str, str]]]:
    """One request through the app: its status and headers."""
    status, response_headers, _ = fetch(method, path, headers=headers, body=body, scheme=scheme)
    return status, response_headers


def fetch(method: str, path: str, *, headers: dict[str, str] | None = None, body: bytes = b"",
          scheme: str = "http") -> tuple[int, list[tuple[str, str]], bytes]:
    """One request through the app: its status, headers and body."""
    scope: dict[str, Any] = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method, "scheme": scheme,
        "path": path, "raw_path": path.encode(), "root_path": "", "query_string": b"", "client": ("127.0.0.1", 1),
        "server": ("127.0.0.1", 80),
        "headers": [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()],
    }
    sent: list[dict[str, Any]] = []
    messages = [{"type": "http.request", "body": body, "more_body": False}]

    async def receive() -> dict[str, Any]:
        return messages.pop(0) if messages else {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    asyncio.run(site()(scope, receive, send))
    start = next(m for m in sent if m["type"] == "http.response.start")
    content = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return start["status"], [(k.decode(), v.decode()) for k, v in start.get("headers", [])], content


def set_cookies(headers: list[tuple[str, str]]) -> dict[str, str]:
    return {v.split("=", 1)[0]: v for k, v in headers if k == "set-cookie"}


def morsel(header: str) -> Any:
    jar: SimpleCookie = SimpleCookie()
    jar.load(header)
    return next(iter(jar.values()))


@pytest.fixture(autouse=True)
def passcode(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    use_passcode(monkeypatch, tmp_path)


def test_a_page_gives_a_new_browser_an_httponly_device_cookie() -> None:
    status, headers = call("GET", "/")
    assert status == 200
    header = set_cookies(headers)["sc_device"]
    cookie = morsel(header)
    assert len(cookie.value) == 43
    assert cookie["httponly"] and cookie["samesite"] == "Lax" and cookie["path"] == "/"
    assert int(cookie["max-age"]) == 35 * 24 * 3600 and not cookie["secure"]
    assert set_cookies(call("GET", "/")[1])["sc_device"] != header  # each browser its own


def test_a_browser_keeps_its_device_id_and_a_malformed_one_is_replaced() -> None:
    held = "A" * 43
    again = morsel(set_cookies(call("GET", "/", headers={"Cookie": f"x=1; sc_device={held}"})[1])["sc_device"])
    assert again.value == held  # the same id, its lifetime renewed
    forged = morsel(set_cookies(call("GET", "/", headers={"Cookie": "sc_device=<script>"})[1])["sc_device"])
    assert forged.value != "<script>" and len(forged.value) == 43


def test_only_pages_carry_the_device_cookie_and_https_makes_it_secure() -> None:
    assert "sc_device" not in set_cookies(call("GET", "/app.js")[1])
    assert morsel(set_cookies(call("GET", "/", scheme="https")[1])["sc_device"])["secure"]


def cache_controls(headers: list[tuple[str, str]]) -> list[str]:
    return [v for k, v in headers if k.lower() == "cache-control"]


def test_no_shared_cache_may_keep_a_response_that_sets_a_cookie() -> None:
    """A school's filtering proxy that stored a page with its Set-Cookie would hand one device id (one student's
    seat and remembered course) to every browser behind it (review L4)."""
    for path in ("/", "/index.html"):
        _, headers = call("GET", path)
        assert "sc_device" in set_cookies(headers) and cache_controls(headers) == ["private, no-store"], path
    _, headers = call("POST", web.TEACHER_SIGN_OUT)
    assert "sc_teacher" in set_cookies(headers) and cache_controls(headers) == ["private, no-store"]
    assert cache_controls(call("GET", "/app.js")[1]) == []  # no cookie: left as it was


@pytest.mark.parametrize("encoding", ["identity", "gzip"])
def test_every_page_carries_the_app_style_once_after_streamlits_own(encoding: str) -> None:
    """The app's CSS is in the page a browser loads (so no page run draws it), at the end of the body: after the
    style sheets Streamlit adds to the head, so the app's rules win where they are as specific as Streamlit's
    (the caption's contrast, tests/e2e/test_accessibility.py). A compressed page is still compressed."""
    status, headers, content = fetch("GET", "/class", headers={"Accept-Encoding": encoding})
    found = dict((k.lower(), v) for k, v in headers)
    if encoding == "gzip":
        assert found.get("content-encoding") == "gzip"
        content = gzip.decompress(content)
    assert status == 200 and int(found["content-length"]) == len(fetch("GET", "/class", headers={
        "Accept-Encoding": encoding})[2])
    page = content.decode()
    assert page.count(style.STYLE) == 1 and ".sc-quote{" in style.STYLE
    assert page.index("<body>") < page.index(style.STYLE) < page.index("<div id='root'>")  # before the app's own
    assert page.replace(style.STYLE, "").encode() == INDEX  # nothing else changed


def test_scripts_and_pages_without_a_body_are_left_as_they_are() -> None:
    assert fetch("GET", "/app.js")[2] == b"console.log(1)"
    assert fetch("GET", "/")[2] == b"<html></html>"


def test_sign_out_refuses_another_site_but_never_a_browser_that_does_not_say() -> None:
    """Another site's page cannot sign a teacher out; a browser without Sec-Fetch-Site (Safari before 16.4, or a
    proxy that drops it) still can: a teacher who cannot sign out on a shared computer is the worse failure."""
    assert call("POST", web.TEACHER_SIGN_OUT, headers={"Sec-Fetch-Site": "cross-site"})[0] == 403
    assert call("POST", web.TEACHER_SIGN_OUT, headers={"Sec-Fetch-Site": "same-site"})[0] == 403
    assert call("POST", web.TEACHER_SIGN_OUT, headers={"Sec-Fetch-Site": "same-origin"})[0] == 204
    assert call("POST", web.TEACHER_SIGN_OUT)[0] == 204


def test_a_websocket_passes_through_untouched() -> None:
    seen: list[dict[str, Any]] = []

    async def inner(scope: Any, receive: Any, send: Any) -> None:
        seen.append(scope)

    scope = {"type": "websocket", "path": "/_stcore/stream", "headers": [(b"cookie", b"sc_teacher=x")]}
    asyncio.run(web.DeviceCookie(inner)(scope, None, None))  # type: ignore[arg-type]
    assert seen == [scope]


def ticket() -> str:
    return teacher_auth.issue(teacher_auth.current_key(), "ticket", teacher_auth.TICKET_SECONDS, time.time())


def test_a_ticket_buys_one_strict_httponly_teacher_cookie() -> None:
    fresh = ticket()
    status, headers = call("POST", web.TEACHER_SIGN_IN, body=fresh.encode(), headers={"Sec-Fetch-Site": "same-origin"})
    assert status == 204
    cookie = morsel(set_cookies(headers)["sc_teacher"])
    assert cookie["httponly"] and cookie["samesite"].lower() == "strict" and cookie["path"] == "/"
    assert int(cookie["max-age"]) == 12 * 3600
    assert teacher_auth.verify(cookie.value, teacher_auth.current_key(), "session", time.time()) is not None
    assert fresh not in cookie.value
    assert call("POST", web.TEACHER_SIGN_IN, body=fresh.encode())[0] == 403  # used


@pytest.mark.parametrize("case", ["cross-site", "session-token", "forged", "too-long", "get"])
def test_anything_but_a_fresh_ticket_gets_nothing(case: str) -> None:
    key = teacher_auth.current_key()
    body = {"session-token": teacher_auth.issue(key, "session", 60, time.time()),
            "forged": ticket()[:-4] + "AAAA", "too-long": ticket() + " " * 400}.get(case, ticket())
    headers = {"Sec-Fetch-Site": "cross-site" if case == "cross-site" else "same-origin"}
    status, sent = call("GET" if case == "get" else "POST", web.TEACHER_SIGN_IN, body=body.encode(), headers=headers)
    assert status in (403, 405)
    assert "sc_teacher" not in set_cookies(sent)


def test_sign_out_expires_the_teacher_cookie() -> None:
    status, headers = call("POST", web.TEACHER_SIGN_OUT, headers={"Cookie": "sc_teacher=anything"})
    assert status == 204
    cookie = morsel(set_cookies(headers)["sc_teacher"])
    assert cookie.value == "" and int(cookie["max-age"]) == 0 and cookie["httponly"]
    assert call("POST", web.TEACHER_SIGN_OUT, headers={"Sec-Fetch-Site": "cross-site"})[0] == 403


def test_streamlit_run_finds_the_web_app_in_app_py() -> None:
    found = discover_asgi_app(PROJECT_ROOT / "app.py")
    assert found.is_asgi_app and found.import_string == "app:app"


# The page side (ui/teacher_nav.py), in AppTest: the ticket the form hands over, the cookie's verdict, sign out.


def shows_the_form(at: AppTest) -> bool:
    return any(box.key == "teacher:passcode" for box in at.text_input)


def test_the_passcode_hands_the_page_a_ticket_and_sign_out_asks_to_drop_the_cookie(
        monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[dict[str, Any]] = []
    keys: list[str] = []

    def record(**kwargs: Any) -> None:
        asked.append(kwargs["data"])
        keys.append(kwargs["key"])

    monkeypatch.setattr(teacher_nav, "_cookie_request", record)
    at = enter_passcode(open_sign_in(), PASSCODE)
    assert [a["url"] for a in asked] == [web.TEACHER_SIGN_IN]  # once, in the run right after the passcode
    # the element's key is not cut from the ticket: a component key holding "__" (base64 has "_") raised an
    # error on the page after about one sign-in in a hundred
    assert "_" not in keys[0] and asked[0]["id"] not in asked[0]["body"]
    ticket = asked[0]["body"]
    assert teacher_auth.verify(ticket, teacher_auth.current_key(), "ticket", time.time()) is not None
    assert PASSCODE not in ticket
    at.run()
    assert len(asked) == 1
    at.button(key="teacher:sign-out").click().run()
    assert [a["url"] for a in asked] == [web.TEACHER_SIGN_IN, web.TEACHER_SIGN_OUT]
    assert at.session_state["teacher:signed-in"] is False
    assert shows_the_form(at)


@pytest.mark.parametrize("case", ["valid", "expired", "tampered", "old-passcode", "none"])
def test_a_new_session_is_signed_in_only_by_a_good_cookie(case: str, monkeypatch: pytest.MonkeyPatch) -> None:
    key = teacher_auth.current_key()
    now = time.time()
    cookie = {"valid": teacher_auth.issue(key, "session", 3600, now),
              "expired": teacher_auth.issue(key, "session", 3600, now - 3601),
              "tampered": teacher_auth.issue(key, "session", 3600, now)[:-2] + "AA",
              "old-passcode": teacher_auth.issue(teacher_auth.signing_key(teacher_auth.server_secret(), "old"),
                                                 "session", 3600, now),
              "none": None}[case]
    monkeypatch.setattr(teacher_nav, "_cookie", lambda: cookie)
    at = open_sign_in()
    assert not at.exception
    assert shows_the_form(at) is (case != "valid")
    if case == "valid":  # and Sign out in that session wins over the cookie it still holds
        at.button(key="teacher:sign-out").click().run()
        assert shows_the_form(at)


def _projector_link() -> None:
    from sourcecheck.ui import teacher_nav

    teacher_nav.projector_link(7)


def test_the_projector_link_opens_a_new_tab_at_this_address() -> None:
    probe = AppTest.from_function(_projector_link)
    probe.context = {"url": "https://school.example/sourcecheck/classes"}
    probe.run()
    link = probe.get("page_link")[0].proto
    assert link.external and link.page == "https://school.example/sourcecheck/projector?session=7"


def test_sign_out_on_classes_with_a_class_open_shows_no_error() -> None:
    """Sign out used to delete the Classes page's widget keys inside its own callback; a "Most students" number
    typed just before (sent with the click) then had its callback read the deleted key, and the teacher saw "This
    app has encountered an error" (seen in the browser test behind nginx)."""
    at = signed_in(teacher_nav.CLASSES)
    at.selectbox(key="cls-lesson").set_value("raqqa-who-says")
    at.button(key="cls-start").click().run()
    assert not at.exception
    most = [box.key for box in at.number_input if str(box.key).startswith("cls-max-")]
    assert most and all(key in at.session_state for key in most)
    at.number_input(key=most[0]).set_value(45)
    at.button(key="teacher:sign-out").click().run()
    assert not at.exception
    assert shows_the_form(at)
    assert not any(key in at.session_state for key in most)  # and what the Classes page kept is gone
