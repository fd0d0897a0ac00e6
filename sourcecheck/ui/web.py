"""The app's own web layer around Streamlit (st.App): the two cookies a page script cannot set, and the app's style
sheet in the page.

Streamlit 1.67's st.App is experimental, so all use of it and of Starlette stays in this module. app.py builds
`st.App(..., routes=routes(), middleware=middleware())`; everything else the app does happens in its pages.

- Every page response (text/html) carries the `sc_device` cookie (ui/browser.py reads it): a random id, HttpOnly,
  SameSite=Lax, with `Cache-Control: private, no-store` (no shared cache keeps a response that sets a cookie). A
  browser without a well-formed one gets a new one; one that has it gets the same value again with a fresh Max-Age,
  so it lapses DEVICE_MAX_AGE after the browser's last visit. The longest a class stays open is four weeks
  (sessions/classes.py OPEN_DAYS): a student who comes back to an open class on its last day still finds the seat,
  and a browser that stops using the app is forgotten a week after any class it could be in.
- POST TEACHER_SIGN_IN with a ticket (sessions/teacher_auth.py) in the body answers with the `sc_teacher` cookie:
  HttpOnly, SameSite=Strict, Max-Age = the token's 12 hours. POST TEACHER_SIGN_OUT expires it. The sign-in form's
  page makes both requests itself (ui/teacher_nav.py), so the passcode never leaves the websocket and no secret is
  in a URL. Streamlit hands a session the cookies of the request that opened its websocket (st.context.cookies):
  a reload or a new tab after the request sees the cookie; the tab that signed in keeps its session's flag.

Both cookies reach the websocket behind nginx too: deploy/nginx.conf passes the browser's Cookie header and the
app's Set-Cookie headers through unchanged.

- Every HTML page Streamlit serves (its index.html, the same for every page of the app) gets the app's CSS
  (ui/style.py STYLE) first in its body (AppStyle): in the page once, so no page run has to draw it.

- The event route, EVENTS (a websocket that tells a class's pages its version moved: numbers only): its handler
  and limits are in the sibling module ui/event_route.py, to keep this one about cookies; it is added here.
"""

from __future__ import annotations

import gzip
import re
import secrets
import time
from typing import TYPE_CHECKING

from starlette.middleware import Middleware
from starlette.requests import Request, cookie_parser
from starlette.responses import Response
from starlette.routing import BaseRoute, Route, WebSocketRoute
from streamlit import config

from sourcecheck.sessions import teacher_auth
from sourcecheck.sessions.classes import OPEN_DAYS
from sourcecheck.ui import streamlit_internals
from sourcecheck.ui.browser import DEVICE_COOKIE
from sourcecheck.ui.event_route import EVENTS, events
from sourcecheck.ui.style import STYLE

if TYPE_CHECKING:
    from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = [
    "DEVICE_MAX_AGE", "EVENTS", "NO_STORE", "TEACHER_SIGN_IN", "TEACHER_SIGN_OUT", "AppStyle", "DeviceCookie",
    "middleware",
    "route_path", "routes",
]

DAY = 24 * 3600
DEVICE_MAX_AGE = (max(OPEN_DAYS) + 7) * DAY  # 35 days after the last visit
TEACHER_SIGN_IN = "/_sc/teacher/sign-in"
TEACHER_SIGN_OUT = "/_sc/teacher/sign-out"
_DEVICE_SHAPE = re.compile(r"[A-Za-z0-9_-]{43}")  # secrets.token_urlsafe(32), as this module makes them
_TICKET_BYTES = 256  # a ticket is about 100 ASCII characters; anything longer is not one
_TICKETS = teacher_auth.Tickets()
# Every response that sets a cookie: a shared proxy (a school's filter) that stored one would hand the same device
# id, and so one student's seat and remembered course, to every browser behind it.
NO_STORE = b"private, no-store"


def route_path(path: str) -> str:
    """`path` under server.baseUrlPath, where Streamlit serves the pages when the app is not at the root."""
    base = str(config.get_option("server.baseUrlPath") or "").strip("/")
    return f"/{base}{path}" if base else path


def _secure(scope: Scope) -> bool:
    """HTTPS as the browser sees it (uvicorn takes X-Forwarded-Proto from a proxy on this machine)."""
    return scope.get("scheme") in ("https", "wss")


def device_cookie_header(value: str, secure: bool) -> bytes:
    flags = f"; Max-Age={DEVICE_MAX_AGE}; Path=/; HttpOnly; SameSite=Lax" + ("; Secure" if secure else "")
    return f"{DEVICE_COOKIE}={value}{flags}".encode("latin-1")


class DeviceCookie:
    """ASGI middleware: the device cookie on every HTML response (the page a browser loads before it opens the
    websocket). Plain ASGI rather than BaseHTTPMiddleware: it passes websockets and streamed bodies untouched."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict((k.lower(), v) for k, v in scope.get("headers", []))
        held = cookie_parser(headers.get(b"cookie", b"").decode("latin-1")).get(DEVICE_COOKIE, "")
        value = held if _DEVICE_SHAPE.fullmatch(held) else secrets.token_urlsafe(32)
        cookie = device_cookie_header(value, _secure(scope))

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start":
                response_headers = list(message.get("headers", []))
                kind = next((v for k, v in response_headers if k.lower() == b"content-type"), b"")
                if kind.startswith(b"text/html"):  # a cookie on it: no shared cache may keep it (below)
                    kept = [(k, v) for k, v in response_headers if k.lower() != b"cache-control"]
                    message = {**message, "headers": [*kept, (b"cache-control", NO_STORE),
                                                      (b"set-cookie", cookie)]}
            await send(message)

        await self.app(scope, receive, send_with_cookie)


_BODY = re.compile(rb"<body[^>]*>", re.IGNORECASE)
_STYLE = STYLE.encode()


def with_style(html: bytes) -> bytes:
    """`html` with the app's style sheet first in its <body>; a page without one is left as it is. There it comes
    after Streamlit's own style sheets (in the head, where its styles are added as it runs), so it wins over them
    where a rule is just as specific, and before the app's root element, so a page's own <style> drawn inside the
    app (the projector's, ui/projector_view.py CSS) wins over it, as when both were drawn by the page."""
    found = _BODY.search(html)
    return html if found is None else html[:found.end()] + _STYLE + html[found.end():]


class AppStyle:
    """ASGI middleware: the app's CSS in every HTML page (Streamlit's index.html, a few kB, once per page load).
    It runs outside Streamlit's gzip middleware, so a compressed page is unpacked, changed and packed again.
    Anything that is not an HTML response passes untouched (websockets, scripts, streamed bodies)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") == "HEAD":  # HEAD: the headers of a body never sent
            await self.app(scope, receive, send)
            return
        start: Message | None = None
        body = b""

        async def send_styled(message: Message) -> None:
            nonlocal start, body
            if message["type"] == "http.response.start":
                headers = message.get("headers", [])
                kind = next((v for k, v in headers if k.lower() == b"content-type"), b"")
                if kind.startswith(b"text/html"):
                    start = message  # held until the whole body is here
                    return
            elif message["type"] == "http.response.body" and start is not None:
                body += message.get("body", b"")
                if message.get("more_body", False):
                    return
                await _send_styled(send, start, body)
                start = None
                return
            await send(message)

        await self.app(scope, receive, send_styled)


async def _send_styled(send: Send, start: Message, body: bytes) -> None:
    headers = [(k, v) for k, v in start.get("headers", [])
               if k.lower() not in (b"content-length", b"etag", b"last-modified")]
    packed = any(k.lower() == b"content-encoding" and v.strip().lower() == b"gzip" for k, v in headers)
    page = with_style(gzip.decompress(body) if packed else body)
    out = gzip.compress(page, compresslevel=6, mtime=0) if packed else page
    await send({**start, "headers": [*headers, (b"content-length", str(len(out)).encode("latin-1"))]})
    await send({"type": "http.response.body", "body": out, "more_body": False})


def _same_origin(request: Request) -> bool:
    """Browsers say where a request comes from (Sec-Fetch-Site); another site's page gets nothing here. A client
    that sends no such header is no browser, and without a ticket it gets nothing either. Sign-out accepts one
    too, on purpose: an older browser (Safari before 16.4) or a proxy that drops Sec-Fetch-* headers must never
    leave a teacher unable to sign out on a shared computer; the worst another site can do is sign a teacher out
    (they sign in again), and signing in always needs a fresh ticket."""
    return request.headers.get("sec-fetch-site", "same-origin") == "same-origin"


async def _body(request: Request, limit: int) -> bytes | None:
    data = b""
    async for chunk in request.stream():
        data += chunk
        if len(data) > limit:
            return None
    return data


async def _teacher_sign_in(request: Request) -> Response:
    """A fresh ticket, once, for the teacher cookie. Every refusal is the same bare 403."""
    body = await _body(request, _TICKET_BYTES) if _same_origin(request) else None
    key = teacher_auth.current_key()
    now = time.time()
    if body is None or not _TICKETS.redeem(body.decode("ascii", "replace").strip(), key, now):
        return Response(status_code=403, headers={"Cache-Control": NO_STORE.decode()})
    response = Response(status_code=204, headers={"Cache-Control": NO_STORE.decode()})
    response.set_cookie(teacher_auth.COOKIE, teacher_auth.issue(key, "session", teacher_auth.SESSION_SECONDS, now),
                        max_age=teacher_auth.SESSION_SECONDS, path="/", secure=_secure(request.scope),
                        httponly=True, samesite="strict")
    return response


async def _teacher_sign_out(request: Request) -> Response:
    if not _same_origin(request):
        return Response(status_code=403, headers={"Cache-Control": NO_STORE.decode()})
    response = Response(status_code=204, headers={"Cache-Control": NO_STORE.decode()})
    response.delete_cookie(teacher_auth.COOKIE, path="/", secure=_secure(request.scope), httponly=True,
                           samesite="strict")
    return response


def routes() -> list[BaseRoute]:
    """The app's own routes. Building them is building the server, so this also installs the one change to
    Streamlit's sessions that a pushed page needs after a server restart (ui/streamlit_internals.py)."""
    streamlit_internals.install()
    return [Route(route_path(TEACHER_SIGN_IN), _teacher_sign_in, methods=["POST"]),
            Route(route_path(TEACHER_SIGN_OUT), _teacher_sign_out, methods=["POST"]),
            WebSocketRoute(route_path(EVENTS), events)]


def middleware() -> list[Middleware]:
    return [Middleware(DeviceCookie), Middleware(AppStyle)]
