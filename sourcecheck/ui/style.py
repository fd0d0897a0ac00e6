"""The app's CSS: the excerpt, heat map and marks styles from render/, plus a few app rules, as one <style> element
(STYLE) that the web layer (ui/web.py, AppStyle) puts into the HTML page every browser loads before it connects.

It is in the page once, for every page of the app, rather than an st.html element drawn by every page run: an
element costs server time on every rerun of every student (Streamlit clears what a run does not draw, so it was sent
again each time), and a page that stopped early (a database message) was still styled only if it drew it first.
It goes first in the page's body: after Streamlit's own style sheets in the head, so where a rule here and one of
Streamlit's are equally specific, this one wins, and before the app itself, so a page's own <style> (the projector's)
wins over this one, as both did when they were drawn inside the app. Page tests
(AppTest) run pages without the web layer: they see no style, as they saw none that mattered before."""

from __future__ import annotations

from sourcecheck.render.heatmap import HEAT_CSS
from sourcecheck.render.highlight import CSS
from sourcecheck.render.marks import MARKS_CSS

__all__ = ["APP_CSS", "STYLE"]

# Streamlit's defaults are sized for dashboards; a reading app for teenagers on phones and on a
# classroom projector wants, by measurement on the screenshots in test-artifacts/:
# - less empty space above the first line (the question fell below the fold on a 390x844 phone);
# - captions (which document an excerpt is from, the lesson title) at 7.1:1 on white: Streamlit draws them
#   in the text colour at opacity 0.6, #8b8c92 in effect (3.35:1, below WCAG AA's 4.5:1), so a colour
#   alone does nothing; the opacity goes too (axe-core checks it on every page: tests/e2e/test_accessibility.py);
# - answer options at body size (Streamlit draws them at 14 px) with room between them for a thumb;
# - the home page's "Join a class" box large enough to type a code into on a phone (a 3.2 rem field and button);
# - a larger root size on wide screens: rem-based sizes, and the centered column, grow with it;
# - the live subscriber (ui/live_view.py, keys "sc-live-..."): no box, so no gap of the column around it either.
APP_CSS = """
[class*="st-key-sc-live-"]{display:none}
[data-testid="stMainBlockContainer"]{padding-top:2.5rem;padding-bottom:5rem}
[data-testid="stCaptionContainer"]{color:#555862;opacity:1}
[data-testid="stHeading"] h3{font-size:1.5rem;line-height:1.3}
[data-testid="stHeading"] h2{font-size:1.75rem;line-height:1.3}
[data-testid="stProgress"] p{font-size:1rem;font-weight:600}
[data-testid="stRadioOption"] p,[data-testid="stCheckbox"] p,[data-testid="stWidgetLabel"] p{
  font-size:1rem;line-height:1.45}
[data-testid="stRadioGroup"]{gap:.45rem}
.sc-tag{font-size:.8em}
.st-key-home-join input{font-size:1.4rem;min-height:3.2rem;letter-spacing:.08em}
.st-key-home-join [data-testid="stFormSubmitButton"] button{min-height:3.2rem}
.st-key-home-join [data-testid="stFormSubmitButton"] button p{font-size:1.25rem;font-weight:600}
@media (min-width:1280px){html{font-size:19px}}
@media (min-width:1600px){html{font-size:22px}}
"""


def _one_line(css: str) -> str:
    """The same rules on one line: each line's indentation dropped, lines joined by a space (a CSS separator
    wherever a line break was one; no rule here has a line break inside a string)."""
    return " ".join(line.strip() for line in css.splitlines() if line.strip())


STYLE = f'<style id="sourcecheck-style">{_one_line(CSS + HEAT_CSS + MARKS_CSS + APP_CSS)}</style>'
