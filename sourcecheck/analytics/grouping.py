"""Written answers grouped by similarity, so a teacher scores a group at once and then adjusts single answers.

Offline and deterministic (no model downloads, no randomness): TF-IDF (scikit-learn's TfidfTransformer's) plus
average-linkage clustering with a distance threshold (scipy), in five steps.

1. Normalise every answer: Unicode NFKC, invisible format characters dropped (zero-width space and joiners,
   word joiner, byte-order mark, soft hyphen, bidi marks), casefolded, punctuation, symbols and control
   characters turned into spaces, whitespace collapsed, and no space left between two characters of a script
   written without spaces (Chinese, Japanese, Thai, Lao, Khmer, Myanmar). Answers equal after this are one point
   from here on, so they always share a group; answers with no letter or digit left (empty, blank, "???") form
   one group of their own, with no terms.
2. Mend typos: a word of five or more letters one edit (a letter dropped, added, changed, or two neighbours
   swapped) from a word that at least twice as many answers use is counted as that word ("soruces" as
   "sources"). Candidates are found by deleting one letter from each distinct WORD (not each answer), so this
   costs little. A word as common as its neighbour stays itself ("biased" next to "based"), and numbers never
   mend.
3. TF-IDF over the content words (sublinear counts, unit rows): English function words carry no weight, but
   negations do ("no", "not", "never": often the point of a sourcing answer), and an answer made only of function
   words keeps them all.
4. Cosine distance between the distinct answers (in single precision, over the words two or more of them
   share; see _distances), and average linkage (UPGMA) joining groups while the mean distance between them is
   at most THRESHOLD: a group is answers that are, on average, close to each other,
   not a chain of neighbours. (Connected components of a similarity graph chain: one answer making two points
   bridges two groups, and on a thousand answers nearly everything ends up in one component.)
5. The distinct answers are sorted before any of this, so the matrix, the tree and hence which answers share a
   group never depend on the order the answers came in; only the order of the groups (largest first, then by
   first member) and the indexes refer to the input.

`terms` are the group's up to three highest-weighted content words (TF-IDF summed over its answers, each answer
counted as often as it was given; ties go to the longer word; a "word" over 30 characters is cut). A script
written without spaces (Chinese, Japanese, Thai) is compared a whole run of text at a time: its answers group
when they are equal after normalising (punctuation, spacing and width do not count), not when they share only
part of a run. Character n-grams of those runs would fix that; not done yet.
"""

from __future__ import annotations

import re
import string
import sys
import threading
import unicodedata
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache

import numpy as np
import scipy.sparse as sp
from scipy.cluster.hierarchy import fcluster, linkage
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

__all__ = ["THRESHOLD", "TYPO_MIN_LENGTH", "AnswerGroup", "group_answers", "normalise"]

THRESHOLD = 0.55  # mean cosine distance at which two groups stay apart (tuned on answers about sourcing)
TYPO_MIN_LENGTH = 5  # shorter words are too often one letter from another real word (fake, face, fame)
_TERMS = 3
_KEPT_DISTANCES = 2_000_000  # distances in the buffer kept between groupings (2,000 distinct answers)
_BLOCK = 256  # rows of the similarity matrix computed at a time
_NEGATIONS = frozenset({"no", "not", "nor", "never", "none", "nobody", "nothing", "without", "cannot"})
_SKIP = frozenset(ENGLISH_STOP_WORDS) - _NEGATIONS
# ASCII's punctuation and symbols (exactly its P* and S* characters) and control characters as spaces, capitals as
# small letters: one bytes.translate does an ASCII answer's normalising (a dict-driven str.translate is ten times
# slower)
_CONTROL = "".join(map(chr, [*range(32), 127]))
_ASCII = bytes.maketrans((string.ascii_uppercase + string.punctuation + _CONTROL).encode("ascii"),
                         (string.ascii_lowercase + " " * (len(string.punctuation) + len(_CONTROL))).encode("ascii"))
# zero-width space, non-joiner and joiner, word joiner, byte-order mark, soft hyphen, left-to-right and right-to-left
# marks: format characters (Cf), dropped by normalising
_INVISIBLE = ("\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u200e", "\u200f")
# Scripts written without spaces between words: Thai, Lao, Myanmar, Khmer, Japanese kana, CJK ideographs (and the
# ideographic iteration and zero marks). A gap between two of their characters (punctuation, or a space a student
# typed) is dropped, so "这篇文章，没有说明" and "这篇文章没有说明" are the same answer after normalising.
_UNSPACED = ("\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3005-\u3007\u3040-\u30ff\u31f0-\u31ff"
             "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff")
_UNSPACED_GAP = re.compile(f"(?<=[{_UNSPACED}]) (?=[{_UNSPACED}])")
_TERM_LENGTH = 30  # a longer "word" (a run of a script without spaces, or of one letter) is cut to this with "…"


@dataclass(frozen=True)
class AnswerGroup:
    members: tuple[int, ...]  # indexes into the answers given, ascending
    terms: tuple[str, ...]  # up to three words for the group's heading; none for the empty answers


@cache
def _patterns() -> tuple[re.Pattern[str], dict[int, None]]:
    """Punctuation, symbols and control characters (Unicode P*, S* and Cc) as one character class, and the format
    characters (Cf) to delete, read from this Python's Unicode tables once (about 0.2 s, on the first grouping)."""
    spaced: list[int] = []
    dropped: dict[int, None] = {}
    for code in range(sys.maxunicode + 1):
        category = unicodedata.category(chr(code))
        if category[0] in "PS" or category == "Cc":
            spaced.append(code)
        elif category == "Cf":
            dropped[code] = None
    ranges: list[str] = []
    start = previous = spaced[0]
    for code in [*spaced[1:], -1]:
        if code == previous + 1:
            previous = code
            continue
        ranges.append(re.escape(chr(start)) + ("" if start == previous else "-" + re.escape(chr(previous))))
        start = previous = code
    return re.compile("[" + "".join(ranges) + "_]+"), dropped


def normalise(text: str) -> str:
    """The answer as grouping compares it: format characters gone, NFKC, casefolded, punctuation, symbols and
    control characters as spaces, single spaces between words and none between two characters of a script written
    without spaces. Empty when there is no letter or digit."""
    if not text.isascii():
        for mark in _INVISIBLE:  # the format characters pasted text carries most: if they were all the text had
            text = text.replace(mark, "")  # beyond ASCII, NFKC and casefolding would change nothing in the rest
    if text.isascii():  # most answers: NFKC and casefolding change nothing, there are no format characters
        return " ".join(text.encode("ascii").translate(_ASCII).decode("ascii").split())
    punctuation, dropped = _patterns()
    # format characters go first, as on the ASCII path: a joiner between a letter and its accent would otherwise
    # keep them from composing, so "e", joiner, acute and "é" would be different answers
    text = unicodedata.normalize("NFKC", text.translate(dropped)).casefold()
    return _UNSPACED_GAP.sub("", " ".join(punctuation.sub(" ", text).split()))


def group_answers(texts: Sequence[str]) -> list[AnswerGroup]:
    """The answers in groups of similar ones: every answer in exactly one group; groups largest first, then by
    their first member. Same answers (in any order) give the same groups."""
    normal = [normalise(t) for t in texts]
    distinct = sorted(set(normal) - {""})
    groups: list[AnswerGroup] = []
    if distinct:
        point = {n: i for i, n in enumerate(distinct)}
        given = [i for i, n in enumerate(normal) if n]  # answers with words, in input order
        of = np.fromiter((point[normal[i]] for i in given), dtype=np.int64, count=len(given))  # their points
        weights = np.bincount(of, minlength=len(distinct)).astype(np.float64)  # how often each was given
        counts, vocabulary = _word_counts(distinct)
        vectors = _vectors(_mend_typos(counts, vocabulary), vocabulary)
        labels = _cluster(vectors)
        label_of_answer = labels[of]
        by_label = np.argsort(label_of_answer, kind="stable")  # answers by label, input order within a label
        ordered = np.asarray(given)[by_label].tolist()
        ends = np.cumsum(np.bincount(label_of_answer)).tolist()
        terms = _terms(vectors, vocabulary, labels, weights)
        groups += [AnswerGroup(tuple(ordered[start:end]), t)
                   for start, end, t in zip([0, *ends[:-1]], ends, terms, strict=True)]
    empty = tuple(i for i, n in enumerate(normal) if not n)
    if empty:
        groups.append(AnswerGroup(empty, ()))
    return sorted(groups, key=lambda g: (-len(g.members), g.members[0]))


def _word_counts(answers: list[str]) -> tuple[sp.csr_matrix, list[str]]:
    """How often each word is in each distinct normalised answer (rows), over the vocabulary in alphabetical order:
    what CountVectorizer(analyzer=str.split) would compute, without its per-token Python loop (a third of
    grouping's time on short answers). All the answers are split at once: words are separated by one space."""
    tokens = " ".join(answers).split(" ")
    vocabulary = sorted(set(tokens))
    index = {word: i for i, word in enumerate(vocabulary)}
    columns = np.fromiter(map(index.__getitem__, tokens), dtype=np.int64, count=len(tokens))
    rows = np.zeros(len(answers) + 1, dtype=np.int64)
    np.cumsum([answer.count(" ") + 1 for answer in answers], out=rows[1:])
    counts = sp.csr_matrix((np.ones(len(columns)), columns, rows), shape=(len(answers), len(vocabulary)))
    counts.sum_duplicates()  # also sorts each row's columns
    return counts, vocabulary


def _mend_typos(counts: sp.csr_matrix, vocabulary: list[str]) -> sp.csr_matrix:
    """Counts with each misspelt word counted as the word it misspells: a word of TYPO_MIN_LENGTH or more letters
    one edit (a letter dropped, added, changed, or two swapped) from a word at least twice as many answers use.
    Candidates share a key with one letter deleted (each word is cut once, not each answer). Only words that two or
    more answers use can be misspelt (a typo needs a word used twice as often), so only they are keyed, and every
    long word looks its own keys up among theirs: most of a class's vocabulary is words one answer used."""
    answers_with: list[int] = np.bincount(counts.indices, minlength=len(vocabulary)).tolist()  # no stored zeros
    keys: dict[str, list[int]] = {}
    for index, word in enumerate(vocabulary):
        if answers_with[index] >= 2 and len(word) >= TYPO_MIN_LENGTH - 1 and not word.isdigit():  # 2019 is no
            keys.setdefault(word, []).append(index)  # typo of 2018
            if len(word) >= TYPO_MIN_LENGTH:
                for at in range(len(word)):
                    keys.setdefault(word[:at] + word[at + 1:], []).append(index)
    target = list(range(len(vocabulary)))
    most = max(answers_with, default=0)
    nothing: list[int] = []
    for a, word in enumerate(vocabulary):
        need = 2 * answers_with[a]
        if len(word) < TYPO_MIN_LENGTH or need > most or word.isdigit():
            continue
        best = a
        for key in [word, *(word[:at] + word[at + 1:] for at in range(len(word)))]:
            for b in keys.get(key, nothing):
                if (answers_with[b] >= need and (answers_with[b] > answers_with[best] or (
                        answers_with[b] == answers_with[best] and vocabulary[b] < vocabulary[best]))
                        and _one_edit(word, vocabulary[b])):
                    best = b  # the most used such word; ties: the first in alphabetical order
        target[a] = best
    if all(t == i for i, t in enumerate(target)):
        return counts
    for i in range(len(target)):  # a typo of a typo: follow to the end (use strictly grows, so no cycles)
        while target[target[i]] != target[i]:
            target[i] = target[target[i]]
    size = len(vocabulary)
    moved = sp.csr_matrix((np.ones(size), (np.arange(size), target)), shape=(size, size))
    mended: sp.csr_matrix = (counts @ moved).tocsr()
    return mended


def _one_edit(a: str, b: str) -> bool:
    """a and b differ by one letter dropped, added or changed, or two neighbouring letters swapped."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) != len(b):
        short, long = (a, b) if len(a) < len(b) else (b, a)
        at = next((k for k in range(len(short)) if short[k] != long[k]), len(short))
        return short[at:] == long[at + 1:]
    differ = [k for k in range(len(a)) if a[k] != b[k]]
    return len(differ) == 1 or (len(differ) == 2 and differ[1] == differ[0] + 1
                                and a[differ[0]] == b[differ[1]] and a[differ[1]] == b[differ[0]])


def _vectors(counts: sp.csr_matrix, vocabulary: list[str]) -> sp.csr_matrix:
    """TF-IDF rows (sublinear counts, unit length) over the content words; an answer made only of function words
    ("it is what it is") keeps all of its words, so it is still like its neighbours. The weights are
    TfidfTransformer(sublinear_tf=True)'s, (1 + log count) * (1 + log((1 + answers) / (1 + answers with the
    word))), computed on the stored values directly: the transformer's and normalize's checks and copies took
    longer than the arithmetic."""
    size = counts.shape[0]
    row = np.repeat(np.arange(size), np.diff(counts.indptr))
    frequency = np.bincount(counts.indices, minlength=counts.shape[1])
    idf = np.log((1 + size) / (1 + frequency)) + 1.0
    weights = (np.log(counts.data) + 1.0) * idf[counts.indices]
    keep = np.fromiter((w not in _SKIP for w in vocabulary), dtype=bool, count=len(vocabulary))[counts.indices]
    bare = np.bincount(row, weights=keep, minlength=size) == 0  # only function words: keep them all
    keep |= bare[row]
    row, columns, weights = row[keep], counts.indices[keep], weights[keep]
    weights /= np.sqrt(np.bincount(row, weights=weights * weights, minlength=size))[row]
    starts = np.zeros(size + 1, dtype=np.int64)
    np.cumsum(np.bincount(row, minlength=size), out=starts[1:])
    vectors = sp.csr_matrix((weights, columns, starts), shape=counts.shape)
    vectors.sort_indices()
    return vectors


def _cluster(vectors: sp.csr_matrix) -> np.ndarray:
    """A group label per distinct answer (0, 1, ... with no gaps): average linkage on cosine distance, cut at
    THRESHOLD."""
    size = vectors.shape[0]
    if size == 1:
        return np.zeros(1, dtype=np.int64)
    with _condensed_buffer(size * (size - 1) // 2) as out:
        tree = linkage(_distances(vectors, out), method="average")  # copies the distances: out is free after
    labels: np.ndarray = fcluster(tree, t=THRESHOLD, criterion="distance") - 1  # fcluster counts from 1
    return labels


_REUSED = threading.Lock()  # held while a grouping uses the kept buffer
_kept: list[np.ndarray] = [np.empty(0)]


@contextmanager
def _condensed_buffer(size: int) -> Iterator[np.ndarray]:
    """Room for `size` distances. Fresh memory costs the kernel a page fault per 4 kB page: for a thousand
    answers (3.7 MB of distances) about 3 ms, more than the distances themselves. So one buffer of up to
    _KEPT_DISTANCES (16 MB) is kept for the life of the process and reused by the next grouping; a grouping that
    finds it in use by another thread, or needs more, gets fresh memory."""
    if size > _KEPT_DISTANCES or not _REUSED.acquire(blocking=False):
        yield np.empty(size)
        return
    try:
        if _kept[0].size < size:
            _kept[0] = np.empty(size)
        yield _kept[0][:size]
    finally:
        _REUSED.release()


def _distances(vectors: sp.csr_matrix, out: np.ndarray | None = None) -> np.ndarray:
    """Cosine distances between the rows in scipy's condensed form (pairs i < j, row by row; into `out` if given),
    a block of rows at a time against the rows from the block on (no square matrix is held whole). Only the words
    two or more answers share take part (the others add to nothing but the diagonal: most of a class's vocabulary
    is typos and words one student used), as a dense row-major table in single precision: a sparse row times dense
    columns is one vectorised pass per word, and single precision halves the bytes read. Together a fifth of the
    time of a sparse-by-sparse product in double; single precision moves a distance by under 1e-6 (no grouping
    turns on that), and the same answers still give the same distances every time."""
    size = vectors.shape[0]
    shared = np.flatnonzero(np.bincount(vectors.indices, minlength=vectors.shape[1]) >= 2)
    single = vectors[:, shared].astype(np.float32)
    columns = single.T.toarray(order="C")  # (shared words, rows)
    if out is None:
        out = np.empty(size * (size - 1) // 2)
    at = 0
    for start in range(0, size, _BLOCK):
        block = single[start:start + _BLOCK] @ columns[:, start:]  # rows start.., columns start..
        for row in range(block.shape[0]):
            above = block[row, row + 1:]  # j > i
            out[at:at + above.size] = above
            at += above.size
    np.subtract(1.0, out, out=out)
    return np.clip(out, 0.0, 1.0, out=out)  # rounding can put a unit vector's cosine a hair above 1


def _terms(vectors: sp.csr_matrix, vocabulary: list[str], labels: np.ndarray,
           weights: np.ndarray) -> list[tuple[str, ...]]:
    """Per group (labels 0, 1, ... of the rows), up to three words with the highest TF-IDF summed over its answers,
    each answer counted as often as it was given (ties: the longer word, then alphabetical). One sparse product for
    all groups."""
    count = int(labels.max()) + 1
    membership = sp.csr_matrix((weights, (labels, np.arange(len(labels)))), shape=(count, vectors.shape[0]))
    scores = (membership @ vectors).tocsr()
    scores.sort_indices()
    eligible = np.array([w not in _SKIP and len(w) > 1 and not w.isdigit() for w in vocabulary])
    lengths = np.array([len(w) for w in vocabulary])
    group = np.repeat(np.arange(count), np.diff(scores.indptr))
    columns, values = scores.indices, np.round(scores.data, 9)  # equal sums tie exactly
    keep = eligible[columns] & (values > 0)
    group, columns, values = group[keep], columns[keep], values[keep]
    order = np.lexsort((columns, -lengths[columns], -values, group))  # the vocabulary is in alphabetical order
    group, columns = group[order], columns[order]
    starts = np.searchsorted(group, np.arange(count))
    rank = np.arange(len(group)) - starts[group]  # 0 for each group's best word, 1 for the next...
    out: list[list[str]] = [[] for _ in range(count)]
    for g, c in zip(group[rank < _TERMS].tolist(), columns[rank < _TERMS].tolist(), strict=True):
        word = vocabulary[c]
        out[g].append(word if len(word) <= _TERM_LENGTH else word[:_TERM_LENGTH - 1] + "…")
    return [tuple(words) for words in out]
