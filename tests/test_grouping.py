"""Grouping written answers by similarity: what shares a group, what stays apart, and that it is stable."""

from __future__ import annotations

import random
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.spatial.distance import pdist

from sourcecheck.analytics.grouping import AnswerGroup, _distances, group_answers, normalise

NO_NAMES = "It only says 'sources said', no names."
MINISTRY = "The article names the ministry and links to its report."
ANONYMOUS = "The author is anonymous so we can't check who wrote it."
COMPANY = "The website is run by a company that sells the product."
CHECK_ELSEWHERE = "I would check other news sites to see if they report the same thing."

# A class's answers to "Who is behind this article, and what is their evidence?": five points made, each by a few
# students in their own words, with the slips real answers have.
CLASS = [
    NO_NAMES,                                                          # 0  no names
    MINISTRY,                                                          # 1  ministry
    "it only says sources said, no names",                             # 2  no names
    ANONYMOUS,                                                         # 3  anonymous
    "The article names the ministry and links to its reprot.",         # 4  ministry (typo)
    COMPANY,                                                           # 5  company
    "It only says 'sources said' no names!!",                          # 6  no names
    "The author is anonymous so we cant check who wrote it",           # 7  anonymous
    CHECK_ELSEWHERE,                                                   # 8  elsewhere
    "THE ARTICLE NAMES THE MINISTRY AND LINKS TO ITS REPORT.",         # 9  ministry (shouting)
    "The website is run by a company that sells the\u200b product.",  # 10 company (zero-width space)
    "I would check other news  sites to see if they report the same thing.",  # 11 elsewhere
    "",                                                                # 12 empty
    "   ",                                                             # 13 blank
]
EXPECTED = [(0, 2, 6), (1, 4, 9), (3, 7), (5, 10), (8, 11), (12, 13)]


def shared(groups: list[AnswerGroup]) -> set[frozenset[int]]:
    return {frozenset(g.members) for g in groups}


def test_a_class_falls_into_its_points() -> None:
    groups = group_answers(CLASS)
    assert [g.members for g in groups] == EXPECTED
    assert groups[-1].terms == ()  # the empty answers
    assert all(g.terms for g in groups if g.members != (12, 13))


def test_terms_name_what_the_group_says() -> None:
    terms = {g.members: g.terms for g in group_answers(CLASS)}
    assert "ministry" in terms[(1, 4, 9)]
    assert "anonymous" in terms[(3, 7)]
    assert {"names", "sources"} & set(terms[(0, 2, 6)])
    assert not {"the", "it", "and", "to"} & {t for ts in terms.values() for t in ts}
    assert all(len(ts) <= 3 for ts in terms.values())


@pytest.mark.parametrize("variant", [
    "It only says 'soruces said', no names.",  # two letters swapped
    "It only says 'sources sad', no names.",  # one letter dropped
    "It only says 'sourcess said', no names.",  # one letter doubled
    "IT ONLY SAYS 'SOURCES SAID', NO NAMES.",
    "  It   only says\t'sources said',\nno names.  ",
    "It only says 'sources\u200b said', no names.",
    "It only says 'sources said', no n\u200dames.\ufeff",
    "It only says \u201csources said\u201d \u2014 no names\u2026",  # curly quotes, dash, ellipsis
    "It only says 'ｓｏｕｒｃｅｓ said', no names.",  # full-width letters (NFKC)
])
def test_near_identical_answers_share_a_group(variant: str) -> None:
    groups = group_answers([NO_NAMES, MINISTRY, variant, ANONYMOUS])
    assert frozenset({0, 2}) in shared(groups)
    assert len(groups) == 3


def test_identical_after_normalising_always_share_a_group_even_among_many() -> None:
    rng = random.Random(4)
    texts = [CHECK_ELSEWHERE.upper(), *(rng.choice([NO_NAMES, MINISTRY, ANONYMOUS, COMPANY]) + f" {i}"
                                        for i in range(40)), " i would CHECK other news sites to see if they report "
                                                             "the same thing!!!\u2060"]
    groups = group_answers(texts)
    assert any({0, len(texts) - 1} <= set(g.members) for g in groups)


def test_clearly_different_answers_stay_apart() -> None:
    texts = [NO_NAMES, MINISTRY, ANONYMOUS, COMPANY, CHECK_ELSEWHERE,
             "The photo has no date or place so it could be old.", "It is a satire site, the about page says so."]
    assert [g.members for g in group_answers(texts)] == [(i,) for i in range(len(texts))]


def test_one_answer_and_no_answers() -> None:
    assert group_answers([]) == []
    [group] = group_answers([MINISTRY])
    assert group.members == (0,)
    assert "ministry" in group.terms


def test_empty_answers_form_one_group_without_terms() -> None:
    assert group_answers(["", " ", "\n\t", "?!", "\u200b"]) == [AnswerGroup((0, 1, 2, 3, 4), ())]
    assert group_answers([""]) == [AnswerGroup((0,), ())]


def test_groups_are_largest_first_then_by_first_member() -> None:
    groups = group_answers([COMPANY, MINISTRY, MINISTRY.lower(), ANONYMOUS, NO_NAMES, NO_NAMES.upper()])
    assert [g.members for g in groups] == [(1, 2), (4, 5), (0,), (3,)]


def test_the_order_of_the_answers_does_not_change_who_shares_a_group() -> None:
    expected = shared(group_answers(CLASS))
    rng = random.Random(19)
    for _ in range(20):
        order = list(range(len(CLASS)))
        rng.shuffle(order)
        groups = group_answers([CLASS[i] for i in order])
        assert {frozenset(order[m] for m in s) for s in shared(groups)} == expected
        for g in groups:
            assert list(g.members) == sorted(g.members)


def test_the_same_answers_give_the_same_groups_every_time() -> None:
    assert group_answers(CLASS) == group_answers(list(CLASS)) == group_answers(tuple(CLASS))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from([NO_NAMES, MINISTRY, ANONYMOUS, COMPANY, CHECK_ELSEWHERE, "", "I don't know.",
                                 "it only says sources said no names", "The article names the ministry."]),
                max_size=25), st.randoms(use_true_random=False))
def test_every_answer_is_in_exactly_one_group_whatever_the_order(texts: list[str], rnd: random.Random) -> None:
    groups = group_answers(texts)
    assert sorted(m for g in groups for m in g.members) == list(range(len(texts)))
    assert [len(g.members) for g in groups] == sorted((len(g.members) for g in groups), reverse=True)
    order = list(range(len(texts)))
    rnd.shuffle(order)
    again = group_answers([texts[i] for i in order])
    assert {frozenset(order[m] for m in g.members) for g in again} == shared(groups)
    for g in groups:  # answers equal after normalising share a group
        for other in groups:
            if other is not g:
                assert not {normalise(texts[i]) for i in g.members} & {normalise(texts[i]) for i in other.members}


def test_any_script_long_answers_and_markup() -> None:
    texts = [
        "Статья не называет источники, только «источники сообщили».",
        "Статья не называет источники, только «источники сообщили»!",
        "这篇文章没有说明消息来源是谁。",
        "这篇文章没有说明消息来源是谁",
        "المقال لا يذكر اسم المصدر",
        "<script>alert(1)</script> =HYPERLINK(\"x\")",
        "sources " * 700,  # 5,600 characters
        MINISTRY,
    ]
    found = group_answers(texts)
    groups = shared(found)
    assert frozenset({0, 1}) in groups
    assert frozenset({2, 3}) in groups
    assert sorted(m for g in groups for m in g) == list(range(len(texts)))
    assert all(len(t) <= 30 for g in found for t in g.terms)
    assert [g.terms for g in found if g.members == (2, 3)] == [("这篇文章没有说明消息来源是谁",)]
    assert group_answers(["x" * 5000])[0].terms == ("x" * 29 + "…",)


def test_normalise() -> None:
    assert normalise("  It's\u200b  ONLY\u00a0'sources'…  ") == "it s only sources"
    assert normalise("no\x00names\x07") == normalise("no\x00names\u0085") == "no names"  # control characters
    assert normalise("Ｆｕｌｌ ｗｉｄｔｈ") == "full width"
    assert normalise("Straße") == "strasse"  # casefold
    assert normalise("?!\u200b\ufeff ") == ""
    # a joiner between a letter and its accent is dropped before NFKC, so they compose as when typed without it
    assert normalise("cafe\u200d\u0301 r\u00e9sum\u00e9") == normalise("caf\u00e9 re\u0301sume\u0301")
    assert normalise("caf\u00e9 re\u0301sume\u0301") == "caf\u00e9 r\u00e9sum\u00e9"
    assert normalise("cafe\u2063\u0301") == "caf\u00e9"  # invisible separator: a format character too


def test_a_thousand_answers_each_land_in_one_group() -> None:
    """How long it takes is measured by bench/grouping.py (`make bench`), never asserted here."""
    rng = random.Random(1)
    words = "sources names ministry anonymous author company product report article photo old satire".split()
    texts = [" ".join(rng.choices(words, k=rng.randint(3, 25))) for _ in range(1000)]
    groups = group_answers(texts)
    assert sorted(m for g in groups for m in g.members) == list(range(1000))


def test_a_misspelt_word_counts_as_the_word_more_answers_use() -> None:
    """"anonymus soruces" shares no word with the others as written; mended, it says what they say. "biased" and
    "based", each in as many answers, are both real words and stay apart."""
    texts = ["anonymous sources", "only anonymous sources", "anonymous sources again", "anonymus soruces",
             "biased", "based"]
    groups = group_answers(texts)
    assert [g.members for g in groups] == [(0, 1, 2, 3), (4,), (5,)]
    assert {"anonymous", "sources"} <= set(groups[0].terms)
    assert "soruces" not in groups[0].terms


def test_numbers_and_short_words_are_never_mended() -> None:
    texts = ["figures from 2019 2019 2019", "figures from 2018", "fake fake fake", "face"]
    groups = shared(group_answers(texts + ["unrelated answer about satire"]))
    assert frozenset({2}) in groups and frozenset({3}) in groups


def test_distances_computed_in_blocks_are_scipys_cosine_distances() -> None:
    """Over several blocks of rows (the similarity matrix is never built whole): pdist's, to single precision."""
    rng = np.random.default_rng(0)
    dense = rng.random((600, 40)) * (rng.random((600, 40)) < 0.2)
    dense[:, 0] += 0.01  # no empty row
    dense /= np.linalg.norm(dense, axis=1, keepdims=True)
    assert np.allclose(_distances(sp.csr_matrix(dense)), np.clip(pdist(dense, "cosine"), 0, 1), rtol=0, atol=1e-6)


@pytest.mark.parametrize(("with_marks", "without"), [
    ("这篇文章，没有说明消息来源。", "这篇文章没有说明消息来源"),
    ("这篇文章 没有说明 消息来源", "这篇文章没有说明消息来源"),  # spaces a student typed between phrases
    ("この記事は、情報源を示していない。", "この記事は情報源を示していない"),
    ("บทความนี้ไม่ได้บอกแหล่งที่มา, ไม่มีชื่อ", "บทความนี้ไม่ได้บอกแหล่งที่มาไม่มีชื่อ"),
])
def test_scripts_without_spaces_are_the_same_answer_with_or_without_punctuation(with_marks: str,
                                                                                without: str) -> None:
    """Punctuation inside a run of Chinese, Japanese or Thai used to split it into two "words" sharing nothing with
    the unpunctuated run, so the same answer landed in two groups."""
    assert normalise(with_marks) == normalise(without)
    groups = group_answers([with_marks, MINISTRY, without, ANONYMOUS])
    assert frozenset({0, 2}) in shared(groups)
    assert len(groups) == 3


def test_spaces_stay_where_a_spaced_script_meets_or_is_the_text() -> None:
    assert normalise("BBC，报道说") == "bbc 报道说"
    assert normalise("기사는, 출처를 밝히지 않는다.") == "기사는 출처를 밝히지 않는다"  # Korean is written with spaces
    assert normalise("Статья, не называет") == "статья не называет"


def test_groupings_at_once_in_threads_give_what_they_give_alone() -> None:
    """The distances' buffer kept between groupings is one thread's at a time; others get fresh memory."""
    rng = random.Random(7)
    points = [NO_NAMES, MINISTRY, ANONYMOUS, COMPANY, CHECK_ELSEWHERE]
    sets = [[rng.choice(points) + f" {rng.randint(0, 50)}" for _ in range(size)] for size in (300, 40, 120, 300)]
    alone = [group_answers(texts) for texts in sets]
    with ThreadPoolExecutor(4) as pool:
        at_once = list(pool.map(group_answers, sets * 3))
    assert at_once == alone * 3
    assert group_answers(sets[1]) == alone[1]  # a smaller grouping after a larger one: the buffer's tail unread


def test_vectors_are_scikit_learns_tf_idf_over_the_content_words() -> None:
    """_vectors computes TfidfTransformer(sublinear_tf=True)'s weights itself (the transformer's checks cost more
    than the arithmetic): the same numbers, with function words dropped unless an answer has nothing else."""
    from sklearn.feature_extraction.text import TfidfTransformer
    from sklearn.preprocessing import normalize as unit_rows

    from sourcecheck.analytics.grouping import _SKIP, _mend_typos, _vectors, _word_counts

    distinct = sorted({normalise(t) for t in [*CLASS, "it is what it is", "no no no"]} - {""})
    counts, vocabulary = _word_counts(distinct)
    counts = _mend_typos(counts, vocabulary)
    weighted = TfidfTransformer(sublinear_tf=True, norm=None).fit_transform(counts).toarray()
    content = np.array([w not in _SKIP for w in vocabulary])
    expected = np.where(content, weighted, 0.0)
    bare = ~expected.any(axis=1)
    expected[bare] = weighted[bare]
    assert bare.sum() == 1  # "it is what it is"
    assert np.allclose(_vectors(counts, vocabulary).toarray(), unit_rows(expected), rtol=0, atol=1e-12)
