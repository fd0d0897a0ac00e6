"""Written answers grouped by similarity, so a teacher scores a group at once and then adjusts single answers.

Offline and deterministic (no model downloads, no randomness): TF-IDF (scikit-learn's TfidfTransformer) plus
average-linkage clustering with a distance threshold (scipy), in five steps.

1. Normalise every answer: Unicode NFKC, invisible format characters dropped (zero-width space and joiners,
   word joiner, byte-order mark, soft hyphen, bidi marks), casefolded, punctuation, symbols and control
   characters turned into spaces, whitespace collapsed. Answers equal after this are one point from here on, so
   they always share a group; answers with no letter or digit left (empty, blank, "???") form one group of their
   own, with no terms.
2. Mend typos: a word of five or more letters one edit (a letter dropped, added, changed, or two neighbours
   swapped) from a word that at least twice as many answers use is counted as that word ("soruces" as
   "sources"). Candidates are found by deleting one letter from each distinct WORD (not each answer), so this
   costs little. A word as common as its neighbour stays itself ("biased" next to "based"), and numbers never
   mend.
3. TF-IDF over the content words (sublinear counts, unit rows): English function words carry no weight, but
   negations do ("no", "not", "never": often the point of a sourcing answer), and an answer made only of function
   words keeps them all.
4. Cosine distance between the distinct answers, and average linkage (UPGMA) joining groups while the mean
   distance between them is at most THRESHOLD: a group is answers that are, on average, close to each other,
   not a chain of neighbours. (Connected components of a similarity graph chain: one answer making two points
   bridges two groups, and on a thousand answers nearly everything ends up in one component.)
5. The distinct answers are sorted before any of this, so the matrix, the tree and hence which answers share a
   group never depend on the order the answers came in; only the order of the groups (largest first, then by
   first member) and the indexes refer to the input.

`terms` are the group's up to three highest-weighted content words (TF-IDF summed over its answers, each answer
counted as often as it was given; ties go to the longer word; a "word" over 30 characters is cut). A script
written without spaces (Chinese, Japanese, Thai) is compared a whole run of text at a time: its answers group
when they are equal after normalising (punctuation, spacing, width), not when they share only part of a run.
Character n-grams would fix that, at several times the cost on every other script.
"""

from __future__ import annotations

import re
import string
import sys
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from itertools import chain

import numpy as np
import scipy.sparse as sp
from scipy.cluster.hierarchy import fcluster, linkage
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfTransformer
from sklearn.preprocessing import normalize

__all__ = ["THRESHOLD", "TYPO_MIN_LENGTH", "AnswerGroup", "group_answers", "normalise"]

THRESHOLD = 0.55  # mean cosine distance at which two groups stay apart (tuned on answers about sourcing)
TYPO_MIN_LENGTH = 5  # shorter words are too often one letter from another real word (fake, face, fame)
_TERMS = 3
_BLOCK = 256  # rows of the similarity matrix computed at a time
_NEGATIONS = frozenset({"no", "not", "nor", "never", "none", "nobody", "nothing", "without", "cannot"})
_SKIP = frozenset(ENGLISH_STOP_WORDS) - _NEGATIONS
# ASCII's punctuation and symbols (exactly its P* and S* characters) and control characters, as spaces
_ASCII_PUNCTUATION = str.maketrans(dict.fromkeys(string.punctuation + "".join(map(chr, [*range(32), 127])), " "))
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
    """The answer as grouping compares it: NFKC, format characters gone, casefolded, punctuation, symbols and
    control characters as spaces, single spaces between words. Empty when there is no letter or digit."""
    return " ".join(_words(text))


def _words(text: str) -> list[str]:
    """The words of `normalise(text)`."""
    if text.isascii():  # most answers: NFKC changes nothing, no format characters, one table does the rest
        return text.lower().translate(_ASCII_PUNCTUATION).split()
    punctuation, dropped = _patterns()
    text = unicodedata.normalize("NFKC", text).translate(dropped).casefold()
    return punctuation.sub(" ", text).split()


def group_answers(texts: Sequence[str]) -> list[AnswerGroup]:
    """The answers in groups of similar ones: every answer in exactly one group; groups largest first, then by
    their first member. Same answers (in any order) give the same groups."""
    words = [_words(t) for t in texts]
    normal = [" ".join(w) for w in words]
    distinct = sorted(set(normal) - {""})
    groups: list[AnswerGroup] = []
    if distinct:
        point = {n: i for i, n in enumerate(distinct)}
        given = [i for i, n in enumerate(normal) if n]  # answers with words, in input order
        of = np.fromiter((point[normal[i]] for i in given), dtype=np.int64, count=len(given))  # their points
        weights = np.bincount(of, minlength=len(distinct)).astype(np.float64)  # how often each was given
        words_of = dict(zip(normal, words, strict=True))
        counts, vocabulary = _word_counts([words_of[n] for n in distinct])
        vectors = _vectors(_mend_typos(counts, vocabulary), vocabulary)
        labels = _cluster(vectors)
        points = np.argsort(labels, kind="stable")  # points by label
        cuts = np.flatnonzero(np.diff(labels[points])) + 1
        inside = np.split(points, cuts)
        label_of_answer = labels[of]
        by_label = np.argsort(label_of_answer, kind="stable")  # answers by label, input order within a label
        answers = np.split(np.asarray(given)[by_label], np.flatnonzero(np.diff(label_of_answer[by_label])) + 1)
        terms = _terms(vectors, vocabulary, inside, weights)
        groups += [AnswerGroup(tuple(a.tolist()), t) for a, t in zip(answers, terms, strict=True)]
    empty = tuple(i for i, n in enumerate(normal) if not n)
    if empty:
        groups.append(AnswerGroup(empty, ()))
    return sorted(groups, key=lambda g: (-len(g.members), g.members[0]))


def _word_counts(tokens: list[list[str]]) -> tuple[sp.csr_matrix, list[str]]:
    """How often each word is in each distinct answer (rows), over the vocabulary in alphabetical order: what
    CountVectorizer(analyzer=list) would compute, without its per-token Python loop (a third of grouping's time on
    short answers)."""
    vocabulary = sorted(set(chain.from_iterable(tokens)))
    index = {word: i for i, word in enumerate(vocabulary)}
    columns = np.fromiter(map(index.__getitem__, chain.from_iterable(tokens)), dtype=np.int64)
    rows = np.zeros(len(tokens) + 1, dtype=np.int64)
    np.cumsum([len(words) for words in tokens], out=rows[1:])
    counts = sp.csr_matrix((np.ones(len(columns)), columns, rows), shape=(len(tokens), len(vocabulary)))
    counts.sum_duplicates()  # also sorts each row's columns
    return counts, vocabulary


def _mend_typos(counts: sp.csr_matrix, vocabulary: list[str]) -> sp.csr_matrix:
    """Counts with each misspelt word counted as the word it misspells: a word of TYPO_MIN_LENGTH or more letters
    one edit (a letter dropped, added, changed, or two swapped) from a word at least twice as many answers use.
    Candidates share a key with one letter deleted (each word is cut once, not each answer)."""
    answers_with: list[int] = np.bincount(counts.indices, minlength=len(vocabulary)).tolist()  # no stored zeros
    keys: dict[str, list[int]] = {}
    for index, word in enumerate(vocabulary):
        if len(word) >= TYPO_MIN_LENGTH - 1 and not word.isdigit():  # 2019 is no typo of 2018
            keys.setdefault(word, []).append(index)
            if len(word) >= TYPO_MIN_LENGTH:
                for at in range(len(word)):
                    keys.setdefault(word[:at] + word[at + 1:], []).append(index)
    target = list(range(len(vocabulary)))
    for bucket in keys.values():
        if len(bucket) == 1:
            continue
        for a in bucket:
            for b in bucket:
                if (answers_with[b] >= 2 * answers_with[a] and len(vocabulary[a]) >= TYPO_MIN_LENGTH
                        and (answers_with[b], vocabulary[target[a]]) > (answers_with[target[a]], vocabulary[b])
                        and _one_edit(vocabulary[a], vocabulary[b])):
                    target[a] = b  # the most used such word; ties: the first in alphabetical order
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
    ("it is what it is") keeps all of its words, so it is still like its neighbours."""
    weighted = TfidfTransformer(sublinear_tf=True, norm=None).fit_transform(counts).tocsr()
    content = np.array([w not in _SKIP for w in vocabulary])
    kept = weighted.copy()
    kept.data *= content[kept.indices]
    kept.eliminate_zeros()
    bare = np.diff(kept.indptr) == 0
    if bare.any():
        kept = (kept + sp.diags(bare.astype(np.float64)) @ weighted).tocsr()
    vectors: sp.csr_matrix = normalize(kept)
    return vectors


def _cluster(vectors: sp.csr_matrix) -> np.ndarray:
    """A group label per distinct answer: average linkage on cosine distance, cut at THRESHOLD."""
    if vectors.shape[0] == 1:
        return np.zeros(1, dtype=np.int64)
    tree = linkage(_distances(vectors), method="average")
    labels: np.ndarray = fcluster(tree, t=THRESHOLD, criterion="distance")
    return labels


def _distances(vectors: sp.csr_matrix) -> np.ndarray:
    """Cosine distances between the rows in scipy's condensed form (pairs i < j, row by row), computed a block of
    rows at a time against the rows after them: half the products of the full similarity matrix, and no dense
    square matrix (on a thousand answers, fresh memory for it costs as much as the linkage itself)."""
    size = vectors.shape[0]
    out = np.empty(size * (size - 1) // 2)
    at = 0
    for start in range(0, size, _BLOCK):
        block = (vectors[start:start + _BLOCK] @ vectors[start:].T).toarray()  # rows start.., columns start..
        above = np.arange(block.shape[1])[None, :] > np.arange(block.shape[0])[:, None]  # j > i, row by row
        similar = block[above]
        np.subtract(1.0, similar, out=out[at:at + similar.size])
        at += similar.size
    return np.clip(out, 0.0, 1.0, out=out)  # rounding can put a unit vector's cosine a hair above 1


def _terms(vectors: sp.csr_matrix, vocabulary: list[str], groups: list[np.ndarray],
           weights: np.ndarray) -> list[tuple[str, ...]]:
    """Per group, up to three words with the highest TF-IDF summed over its answers, each answer counted as often
    as it was given (ties: the longer word, then alphabetical). One sparse product for all groups."""
    rows = np.concatenate(groups)
    which = np.repeat(np.arange(len(groups)), [len(g) for g in groups])
    membership = sp.csr_matrix((weights[rows], (which, rows)), shape=(len(groups), vectors.shape[0]))
    scores = (membership @ vectors).tocsr()
    scores.sort_indices()
    eligible = np.array([w not in _SKIP and len(w) > 1 and not w.isdigit() for w in vocabulary])
    lengths = np.array([len(w) for w in vocabulary])
    group = np.repeat(np.arange(len(groups)), np.diff(scores.indptr))
    columns, values = scores.indices, np.round(scores.data, 9)  # equal sums tie exactly
    keep = eligible[columns] & (values > 0)
    group, columns, values = group[keep], columns[keep], values[keep]
    order = np.lexsort((columns, -lengths[columns], -values, group))  # the vocabulary is in alphabetical order
    group, columns = group[order], columns[order]
    starts = np.searchsorted(group, np.arange(len(groups)))
    rank = np.arange(len(group)) - starts[group]  # 0 for each group's best word, 1 for the next...
    out: list[list[str]] = [[] for _ in groups]
    for g, c in zip(group[rank < _TERMS].tolist(), columns[rank < _TERMS].tolist(), strict=True):
        word = vocabulary[c]
        out[g].append(word if len(word) <= _TERM_LENGTH else word[:_TERM_LENGTH - 1] + "…")
    return [tuple(words) for words in out]
