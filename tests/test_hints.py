"""Rubric hints on the scoring page: which words are hints, and an answer marked with them, always escaped."""

from __future__ import annotations

import re
from html import unescape

from sourcecheck.lessons.models import RubricCriterion, RubricLevel
from sourcecheck.render.hints import highlight_hints, hint_words


def level(points: int, example: str) -> RubricLevel:
    return RubricLevel(points=points, descriptor=f"Level {points}", example=example)


WHO = RubricCriterion(criterion="Says who is behind the source", levels=[
    level(0, "The article is true because it is on the internet."),
    level(1, "The article says sources said it, but it does not name them."),
    level(2, "The article names the Ministry of Health and links its report, so we can check who said it."),
])
EVIDENCE = RubricCriterion(criterion="Weighs the evidence", levels=[
    level(0, "It has lots of facts."),
    level(1, "The report has numbers but the article gives no link."),
])


def test_hint_words_are_each_levels_distinctive_words() -> None:
    words = hint_words([WHO])
    assert words == {
        0: frozenset({"true", "internet"}),
        1: frozenset({"says", "sources", "said", "name"}),
        2: frozenset({"names", "ministry", "health", "links", "report", "check", "said"}),
    }


def test_words_of_every_level_and_function_words_are_never_hints() -> None:
    words = hint_words([WHO])
    every = set().union(*words.values())
    assert "article" not in every  # in every level's example
    assert not {"the", "it", "is", "of", "and", "so", "we", "can", "who", "but", "does", "not"} & every


def test_criteria_are_merged_by_points() -> None:
    words = hint_words([WHO, EVIDENCE])
    assert words[0] == {"true", "internet", "lots", "facts"}
    assert {"numbers", "link", "report"} <= words[1]  # report is in levels 1 and 2, not 0: still a hint
    assert "report" in words[2]


def test_an_answer_is_marked_whole_word_and_case_insensitive() -> None:
    words = {0: frozenset({"internet"}), 2: frozenset({"ministry", "report"})}
    html = highlight_hints("The MINISTRY's report; not a reporter, no ministryless internet-ish Report.", words)
    marks = re.findall(r'<mark class="sc-hint" title="([^"]+)">([^<]+)</mark>', html)
    assert marks == [("Word from the level 2 example", "MINISTRY"), ("Word from the level 2 example", "report"),
                     ("Word from the level 0 example", "internet"), ("Word from the level 2 example", "Report")]
    assert re.sub(r"<[^>]+>", "", unescape(html)) == (
        "The MINISTRY's report; not a reporter, no ministryless internet-ish Report.")


def test_a_word_of_several_levels_names_them_all() -> None:
    html = highlight_hints("the report", {1: frozenset({"report"}), 2: frozenset({"report"})})
    assert html == 'the <mark class="sc-hint" title="Word from the level 1 and 2 examples">report</mark>'


def test_markup_and_formulas_are_inert() -> None:
    text = '<script>alert("ministry")</script><img src=x onerror=alert(1)> =HYPERLINK("http://x","ministry") & </mark>'
    html = highlight_hints(text, {2: frozenset({"ministry"})})
    assert "<script" not in html and "<img" not in html and "</mark> " not in html
    assert html.count("<mark ") == html.count("</mark>") == 2
    assert "&lt;script&gt;" in html and "&quot;" in html and "&amp;" in html
    assert highlight_hints(text, {}) == highlight_hints(text, {0: frozenset()}) == (
        "&lt;script&gt;alert(&quot;ministry&quot;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt; "
        "=HYPERLINK(&quot;http://x&quot;,&quot;ministry&quot;) &amp; &lt;/mark&gt;")


def test_zero_width_characters_stay_text_and_split_nothing_open() -> None:
    text = "the minis\u200btry and the \u200bministry\u200d"
    html = highlight_hints(text, {2: frozenset({"ministry"})})
    assert html == 'the minis\u200btry and the \u200b<mark class="sc-hint" title="Word from the level 2 example">' \
                   'ministry</mark>\u200d'


def test_a_hint_word_with_regex_or_html_characters_is_escaped() -> None:
    html = highlight_hints("a c++ b <c> d", {1: frozenset({"c++", "<c>"})})
    assert "<c>" not in html
    assert "&lt;c&gt;" in html


def test_a_megabyte_answer_is_marked_and_escaped_throughout() -> None:
    text = "The ministry named its report <b>. " * 28_600  # 1,001,000 characters
    html = highlight_hints(text, hint_words([WHO]))
    assert html.count('<mark class="sc-hint" title="Word from the level 2 example">') == 2 * 28_600
    assert "<b>" not in html
    assert html.count("&lt;b&gt;") == 28_600


def test_empty_text_and_no_hints() -> None:
    assert highlight_hints("", {2: frozenset({"ministry"})}) == ""
    assert hint_words([]) == {}
