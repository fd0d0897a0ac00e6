"""A 50 MB lesson upload in the workshop, in a real Chromium: the uploader refuses it in the browser, and the
server itself (server.maxUploadSize = 1 in .streamlit/config.toml) refuses the same 50 MB sent straight to its
upload endpoint with the tab's own session and XSRF token; then the workshop goes on working. The figures go to
test-artifacts/security/upload-limit.json.
"""

from __future__ import annotations

import http.client
import json
import time
import tomllib
import urllib.parse
import urllib.request

import pytest
from browser_support import sign_in
from conftest import ARTIFACTS, StartServer
from playwright.sync_api import Browser, Request, expect

from sourcecheck.lessons.paths import PROJECT_ROOT

pytestmark = pytest.mark.browser

PASSCODE = "upload-limit-passcode-4471"
MINIMAL = (PROJECT_ROOT / "tests" / "fixtures" / "good" / "minimal.yaml").read_bytes()
FIFTY_MB = b"title: " + b"x" * (50 * 1024 * 1024 - 8) + b"\n"  # 50 MiB


def put_multipart(url: str, data: bytes, headers: dict[str, str], *, chunked: bool) -> int:
    """PUT one file as a browser's uploader does (multipart/form-data); the HTTP status the server answers."""
    boundary = "----sourcecheck-upload-test"
    head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"huge.yaml\"\r\n"
            "Content-Type: application/x-yaml\r\n\r\n").encode()
    body = head + data + f"\r\n--{boundary}--\r\n".encode()
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=120)
    try:
        connection.putrequest("PUT", parts.path)
        for name, value in {**headers, "Content-Type": f"multipart/form-data; boundary={boundary}"}.items():
            connection.putheader(name, value)
        if chunked:
            connection.putheader("Transfer-Encoding", "chunked")
            connection.endheaders()
            try:
                for at in range(0, len(body), 1 << 20):
                    piece = body[at:at + (1 << 20)]
                    connection.send(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
                connection.send(b"0\r\n\r\n")
            except (BrokenPipeError, ConnectionResetError):
                pass  # the server stopped reading once it had more than it allows
        else:
            connection.putheader("Content-Length", str(len(body)))
            connection.endheaders()
            try:
                connection.send(body)
            except (BrokenPipeError, ConnectionResetError):
                pass
        return connection.getresponse().status
    finally:
        connection.close()


def test_the_config_caps_uploads_at_one_megabyte() -> None:
    config = tomllib.loads((PROJECT_ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["maxUploadSize"] == 1


def test_a_50_mb_upload_is_refused_in_the_browser_and_by_the_server(browser: Browser, start_server: StartServer,
                                                                     tmp_path_factory: pytest.TempPathFactory
                                                                     ) -> None:
    root = tmp_path_factory.mktemp("upload")
    url = start_server(SOURCECHECK_TEACHER_PASSCODE=PASSCODE, SOURCECHECK_STATE=str(root / "state"),
                       DATABASE_URL=f"sqlite:///{root / 'upload.db'}")
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    sign_in(page, f"{url}/workshop", PASSCODE)
    expect(page.get_by_role("heading", name="Lesson workshop")).to_be_visible(timeout=15_000)
    upload = page.locator('[data-testid="stFileUploaderDropzoneInput"]')
    figures: dict[str, object] = {}

    started = time.monotonic()
    huge = root / "huge.yaml"
    huge.write_bytes(FIFTY_MB)
    upload.set_input_files(huge)
    expect(page.get_by_text("File must be 1.0MB or smaller.")).to_be_visible(timeout=30_000)
    figures["browser_refusal_s"] = round(time.monotonic() - started, 2)

    puts: list[Request] = []
    page.on("request", lambda r: puts.append(r) if r.method == "PUT" and "/_stcore/upload_file/" in r.url else None)
    upload.set_input_files({"name": "minimal.yaml", "mimeType": "application/x-yaml", "buffer": MINIMAL})
    expect(page.get_by_text("No problems: “Minimal lesson”")).to_be_visible(timeout=15_000)
    assert puts, "the small upload went to the server's upload endpoint"
    token = puts[0].headers.get("x-xsrftoken")
    assert token

    cookies = "; ".join(f"{c['name']}={c['value']}" for c in context.cookies())
    target = puts[0].url.rsplit("/", 1)[0] + "/huge-file"
    for how in ("with Content-Length", "chunked"):  # a client may leave the length out; the server counts then
        started = time.monotonic()
        status = put_multipart(target, FIFTY_MB, {"X-Xsrftoken": token, "Cookie": cookies},
                               chunked=how == "chunked")
        figures[f"server_refusal_s ({how})"] = round(time.monotonic() - started, 2)
        figures[f"server_status ({how})"] = status
        assert status == 413, how

    with urllib.request.urlopen(f"{url}/_stcore/health", timeout=10) as health:
        assert health.read().strip() == b"ok"
    box = page.get_by_role("textbox", name="Lesson YAML")
    box.fill(MINIMAL.decode("utf-8").replace("Minimal lesson", "Still working"))
    box.press("Control+Enter")
    expect(page.get_by_text("No problems: “Still working”")).to_be_visible(timeout=15_000)
    out = ARTIFACTS / "security" / "upload-limit.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(figures, indent=1) + "\n", encoding="utf-8")
    context.close()
