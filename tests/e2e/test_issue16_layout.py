"""Issue 16 in a real Chromium: the Classes page's join link and QR code (defect 4), and the home page's "Join a
class" box (defect 9). Screenshots go to test-artifacts/ for a person to look at."""

from __future__ import annotations

from pathlib import Path

import pytest
from browser_support import ARTIFACTS, IDLE, StartServer, settle, sign_in, start_class
from playwright.sync_api import Browser, Locator, Page, expect

from sourcecheck.lessons.catalog import load_catalog
from sourcecheck.lessons.loader import load_library
from sourcecheck.lessons.paths import PROJECT_ROOT

pytestmark = pytest.mark.browser

PASSCODE = "issue16-layout-passcode"
LESSON = "raqqa-who-says"
SIZES = [(1280, 800), (390, 844), (1920, 1080)]


@pytest.fixture(scope="module")
def url(start_server: StartServer, tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = tmp_path_factory.mktemp("issue16")
    return start_server(DATABASE_URL=f"sqlite:///{folder / 'app.db'}", SOURCECHECK_TEACHER_PASSCODE=PASSCODE,
                        SOURCECHECK_STATE=str(folder / "state"))


def shoot(page: Page, name: str, width: int, height: int, *, show: Locator | None = None) -> Path:
    """The viewport at that size (Streamlit scrolls inside the page, so a full-page shot is only the top), scrolled
    to `show` if given."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.set_viewport_size({"width": width, "height": height})
    settle(page)
    if show is not None:
        show.scroll_into_view_if_needed()
    page.wait_for_function("() => [...document.images].every(i => i.complete && i.naturalWidth > 0)")
    page.wait_for_timeout(300)  # the data frame's canvas draws after the run ends
    path = ARTIFACTS / f"issue16-{name}-{width}x{height}.png"
    page.screenshot(path=str(path))
    return path


def overlap(a: dict[str, float], b: dict[str, float]) -> bool:
    return (a["x"] < b["x"] + b["width"] and b["x"] < a["x"] + a["width"]
            and a["y"] < b["y"] + b["height"] and b["y"] < a["y"] + a["height"])


def test_the_join_panel_link_and_qr_code(browser: Browser, url: str) -> None:
    lesson = load_library([PROJECT_ROOT / "lessons"], load_catalog(PROJECT_ROOT / "seeds")).get(LESSON)
    assert lesson is not None
    page = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
    sign_in(page, f"{url}/classes", PASSCODE)
    code = start_class(page, lesson.lesson.title, lesson.lesson.level)
    panel = page.locator(".st-key-cls-join")
    link = panel.locator('[data-testid="stMarkdown"]', has_text="Students open").locator("a")
    expect(link).to_have_count(1)
    text, href = link.inner_text().strip(), str(link.get_attribute("href"))
    assert text == href and href.endswith(f"/join?code={code}"), (text, href)
    assert "\\" not in text and "%5C" not in href.upper()
    for width, height in SIZES[:2]:
        shoot(page, "classes", width, height, show=panel)
        qr = panel.locator('[data-testid="stImage"] img').bounding_box()  # loaded: shoot() waits for images
        heading = panel.get_by_role("heading", name="Join code").bounding_box()
        code_box = panel.locator('[data-testid="stMarkdown"]', has_text="Join code").locator("code").bounding_box()
        assert qr and heading and code_box
        assert not overlap(qr, heading), (width, qr, heading)
        assert not overlap(qr, code_box), (width, qr, code_box)
        assert qr["width"] >= 150 and abs(qr["width"] - qr["height"]) < 2, qr  # square, large enough to scan
    page.context.close()


def test_the_home_page_join_box_by_keyboard_and_on_a_phone(browser: Browser, url: str) -> None:
    """First on the page, large on a phone, and usable by keyboard: Tab to the code, type, Enter opens the join
    page with the code filled in."""
    page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    page.goto(url)
    settle(page)
    box = page.locator(".st-key-home-join")
    expect(box.get_by_role("heading", name="Join a class")).to_be_visible()
    field, join = box.get_by_label("Class code"), box.get_by_role("button", name="Join")
    for width, height in SIZES[1:]:
        shoot(page, "home-join", width, height)
        card = page.locator(".cc-card").first.bounding_box()  # the first lesson card (the catalog component)
        field_box, button_box = field.bounding_box(), join.bounding_box()
        assert field_box and button_box and card
        assert field_box["y"] + field_box["height"] <= card["y"]  # above every lesson
        assert field_box["height"] >= 48 and button_box["height"] >= 48, (field_box, button_box)  # a thumb's size
        assert field_box["y"] + field_box["height"] <= height  # in view without scrolling
    page.set_viewport_size({"width": 390, "height": 844})
    settle(page)
    for _ in range(40):
        page.keyboard.press("Tab")
        if field.evaluate("e => e === document.activeElement"):
            break
    else:
        raise AssertionError("Tab never reached the class code")
    page.keyboard.type("abc234")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Join a class")).to_be_visible(timeout=15_000)
    page.wait_for_selector(IDLE, timeout=30_000)
    expect(page.get_by_label("Class code")).to_have_value("abc234")
    expect(page.get_by_label("Your name")).to_be_visible()
    assert "/join" in page.url and "code=abc234" in page.url
    page.context.close()
