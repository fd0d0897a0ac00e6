"""Written answers grouped by similarity, so a teacher scores a group at once and then adjusts single answers.

Offline and deterministic (no model downloads, no randomness): TF-IDF from scikit-learn plus average-linkage
clustering with a distance threshold (scipy), in four steps.

1. Normalise every answer: Unicode NFKC, invisible format characters dropped (zero-width space and joiners,
   word joiner, byte-order mark, soft hyphen, bidi marks), casefolded, punctuation and symbols turned into
   spaces, whitespace collapsed. Answers equal after this are one point from here on, so they always share a
   group; answers with no letters or digits left (empty, blank, "???") form one group of their own, with no terms.
2. Describe each distinct answer twice: by its words (TF-IDF over whole words) and by the character 3- and
   4-grams inside its words (TF-IDF too), so "soures" stays close to "sources" and a script written without
   spaces still has something to compare. The character n-grams are cut from each distinct WORD once and summed
   per answer through the word counts (a sparse product), which is what keeps grouping within a few times the
   cost of plain TF-IDF: cutting n-grams from every answer's full text is what makes char analyzers slow.
3. Cosine similarity is the mean of the two cosines. Average linkage (UPGMA) joins answers while the mean
   distance between two groups stays under `THRESHOLD`: a group is answers that are, on average, close to each
   other, not a chain of neighbours (single linkage would chain "names the ministry" to "names no one").
4. The distinct answers are sorted before any of this, so the matrix, the tree and hence which answers share a
   group never depend on the order the answers came in; only the order of the groups (largest first, then by
   first member) and the indexes refer to the input.

`terms` are the group's up to three highest-weighted words (summed TF-IDF over its answers, each answer counted
as often as it was given), skipping English function words but keeping negations ("no", "not"), which often
are the point of a sourcing answer.
"""

from __future__ import annotations

import re
import string
import sys
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np
import scipy.sparse as sp
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.spatial.distance import squareform
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, CountVectorizer, TfidfTransformer
from sklearn.preprocessing import normalize

__all__ = ["THRESHOLD", "TYPO_MIN_LENGTH", "AnswerGroup", "group_answers", "normalise"]

THRESHOLD = 0.55  # mean cosine distance at which two groups stay apart (tuned on answers about sourcing)
TYPO_MIN_LENGTH = 5  # shorter words are too often one letter from another real word (fake, face, fame)
_TERMS = 3
_NEGATIONS = frozenset({"no", "not", "nor", "never", "none", "nobody", "nothing", "without", "cannot"})
_SKIP = frozenset(ENGLISH_STOP_WORDS) - _NEGATIONS
_ASCII_PUNCTUATION = str.maketrans(dict.fromkeys(string.punctuation, " "))  # exactly ASCII's P* and S* characters


@dataclass(frozen=True)
class AnswerGroup:
    members: tuple[int, ...]  # indexes into the answers given, ascending
    terms: tuple[str, ...]  # up to three words for the group's heading; none for the empty answers


@cache
def _patterns() -> tuple[re.Pattern[str], dict[int, None]]:
    """Punctuation and symbols (Unicode P* and S*) as one character class, and the format characters (Cf) to
    delete, read from this Python's Unicode tables once (about 0.2 s, on the first grouping)."""
    spaced: list[int] = []
    dropped: dict[int, None] = {}
    for code in range(sys.maxunicode + 1):
        category = unicodedata.category(chr(code))
        if category[0] in "PS":
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
    """The answer as grouping compares it: NFKC, format characters gone, casefolded, punctuation and symbols as
    spaces, single spaces between words. Empty when there is no letter or digit."""
    if text.isascii():  # most answers: NFKC changes nothing, no format characters, one table does the rest
        return " ".join(text.lower().translate(_ASCII_PUNCTUATION).split())
    punctuation, dropped = _patterns()
    text = unicodedata.normalize("NFKC", text).translate(dropped).casefold()
    return " ".join(punctuation.sub(" ", text).split())


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
        counter = CountVectorizer(analyzer=str.split, dtype=np.float64)
        counts = counter.fit_transform(distinct).tocsr()
        vocabulary: list[str] = counter.get_feature_names_out().tolist()
        vectors = _vectors(_mend_typos(counts, vocabulary), vocabulary)
        labels = _cluster((vectors @ vectors.T).toarray())
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


def _mend_typos(counts: sp.csr_matrix, vocabulary: list[str]) -> sp.csr_matrix:
    """Counts with each misspelt word counted as the word it misspells: a word of TYPO_MIN_LENGTH or more letters
    one edit (a letter dropped, added, changed, or two swapped) from a word at least twice as many answers use.
    Candidates share a key with one letter deleted (each word is cut once, not each answer)."""
    answers_with = np.bincount(counts.indices, minlength=len(vocabulary))  # counts has no explicit zeros
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
                        and _one_edit(vocabulary[a], vocabulary[b])
                        and (answers_with[b], vocabulary[target[a]]) > (answers_with[target[a]], vocabulary[b])):
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
    content = np.array([w not in _SKIP for w in vocabulary], dtype=np.float64)
    kept = (weighted @ sp.diags(content)).tocsr()
    kept.eliminate_zeros()
    bare = np.diff(kept.indptr) == 0
    if bare.any():
        kept = (kept + sp.diags(bare.astype(np.float64)) @ weighted).tocsr()
    vectors: sp.csr_matrix = normalize(kept)
    return vectors


def _cluster(similarity: np.ndarray) -> np.ndarray:
    """A group label per distinct answer: average linkage on cosine distance, cut at THRESHOLD. The similarity
    matrix is turned into distances in place (it is the largest thing grouping allocates)."""
    size = similarity.shape[0]
    if size == 1:
        return np.zeros(1, dtype=np.int64)
    distance = np.subtract(1.0, similarity, out=similarity)
    np.clip(distance, 0.0, 1.0, out=distance)
    np.fill_diagonal(distance, 0.0)
    tree = linkage(squareform(distance, checks=False), method="average")
    labels: np.ndarray = fcluster(tree, t=THRESHOLD, criterion="distance")
    return labels


def _terms(vectors: sp.csr_matrix, vocabulary: list[str], groups: list[np.ndarray],
           weights: np.ndarray) -> list[tuple[str, ...]]:
    """Per group, up to three words with the highest TF-IDF summed over its answers, each answer counted as often
    as it was given (ties: the longer word, then alphabetical). One sparse product for all groups."""
    rows = np.concatenate(groups)
    which = np.repeat(np.arange(len(groups)), [len(g) for g in groups])
    membership = sp.csr_matrix((weights[rows], (which, rows)), shape=(len(groups), vectors.shape[0]))
    scores = (membership @ vectors).tocsr()
    out = []
    for g in range(len(groups)):
        begin, end = scores.indptr[g], scores.indptr[g + 1]
        ranked = sorted((-round(float(v), 9), -len(vocabulary[c]), vocabulary[c])
                        for c, v in zip(scores.indices[begin:end], scores.data[begin:end], strict=True))
        kept = [word for v, _, word in ranked if v < 0 and word not in _SKIP and len(word) > 1 and not word.isdigit()]
        out.append(tuple(kept[:_TERMS]))
    return out
