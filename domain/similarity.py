"""Which eksempler say nearly the same thing: Danish-aware TF-IDF cosine similarity, as pure functions.

Words are lower-cased, Danish stop words dropped and the rest reduced to their Snowball Danish stems
(snowballstemmer), so that "modige", "modig" and "mod" meet. Each text becomes a TF-IDF vector over the given
collection; two eksempler are similar when the cosine of their vectors reaches THRESHOLD, a value tuned on the
labelled Danish pairs in tests/test_similarity.py. Groups are the connected components of "similar".

Speed: dot products are summed through an inverted index, so only pairs that share a stem cost anything;
2,000 eksempler take about half a second on one core of the development machine (bench and tests/test_similarity.py).
"""

from __future__ import annotations

import math
import re
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer

# Tuned on the labelled pairs in tests/test_similarity.py (precision and recall are printed there).
THRESHOLD = 0.5
# How many similar eksempler one eksempel names ("Ligner nr. 12 og 37").
NEIGHBOURS_SHOWN = 2

# Snowball's Danish stop word list (snowballstem.org/algorithms/danish/stop.txt).
STOP_WORDS = frozenset(
    [
        "og",
        "i",
        "jeg",
        "det",
        "at",
        "en",
        "den",
        "til",
        "er",
        "som",
        "på",
        "de",
        "med",
        "han",
        "af",
        "for",
        "ikke",
        "der",
        "var",
        "mig",
        "sig",
        "men",
        "et",
        "har",
        "om",
        "vi",
        "min",
        "havde",
        "ham",
        "hun",
        "nu",
        "over",
        "da",
        "fra",
        "du",
        "ud",
        "sin",
        "dem",
        "os",
        "op",
        "man",
        "hans",
        "hvor",
        "eller",
        "hvad",
        "skal",
        "selv",
        "her",
        "alle",
        "vil",
        "blev",
        "kunne",
        "ind",
        "når",
        "være",
        "dog",
        "noget",
        "ville",
        "jo",
        "deres",
        "efter",
        "ned",
        "skulle",
        "denne",
        "end",
        "dette",
        "mit",
        "også",
        "under",
        "have",
        "dig",
        "anden",
        "hende",
        "mine",
        "alt",
        "meget",
        "sit",
        "sine",
        "vor",
        "mod",
        "disse",
        "hvis",
        "din",
        "nogle",
        "hos",
        "blive",
        "mange",
        "ad",
        "bliver",
        "hendes",
        "været",
        "thi",
        "jer",
        "sådan",
    ]
)
_WORD = re.compile(r"[a-zæøåéü]+")
_STEMMER = snowballstemmer.stemmer("danish")


@lru_cache(maxsize=50_000)
def _stem(word: str) -> str:
    return str(_STEMMER.stemWord(word))


def stems(text: str) -> list[str]:
    """The text's content words as Danish stems, in order (stop words and one-letter words left out)."""
    return [_stem(word) for word in _WORD.findall(text.lower()) if len(word) > 1 and word not in STOP_WORDS]


@dataclass(frozen=True)
class Similarity:
    """For each eksempel id, the most similar others (best first); and the groups of mutually similar ones."""

    neighbours: dict[int, tuple[int, ...]]
    # Each group has two or more ids, in ascending order; groups are ordered by their smallest id.
    groups: tuple[tuple[int, ...], ...]

    def group_of(self, entry_id: int) -> tuple[int, ...]:
        return next((group for group in self.groups if entry_id in group), (entry_id,))


def _vectors(texts: Sequence[str]) -> list[dict[str, float]]:
    """Unit-length TF-IDF vectors (sublinear tf, smoothed idf) over the collection."""
    counted: list[dict[str, int]] = []
    document_frequency: dict[str, int] = {}
    for text in texts:
        counts: dict[str, int] = {}
        for stem in stems(text):
            counts[stem] = counts.get(stem, 0) + 1
        counted.append(counts)
        for stem in counts:
            document_frequency[stem] = document_frequency.get(stem, 0) + 1
    n = len(texts)
    idf = {stem: math.log((1 + n) / (1 + df)) + 1.0 for stem, df in document_frequency.items()}
    vectors: list[dict[str, float]] = []
    for counts in counted:
        weights = {stem: (1.0 + math.log(count)) * idf[stem] for stem, count in counts.items()}
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        vectors.append({stem: w / norm for stem, w in weights.items()})
    return vectors


def scored_pairs(texts: Sequence[str], threshold: float = THRESHOLD) -> list[tuple[int, int, float]]:
    """(i, j, cosine) for every pair of texts (by index, i < j) whose similarity reaches the threshold.

    Exact: each text's dot products with the texts after it are summed through an inverted index of (text,
    weight) postings, so only pairs that share a stem cost anything.
    """
    vectors = _vectors(texts)
    postings: dict[str, list[tuple[int, float]]] = {}
    for index, vector in enumerate(vectors):
        for stem, weight in vector.items():
            postings.setdefault(stem, []).append((index, weight))
    pairs: list[tuple[int, int, float]] = []
    for i, vector in enumerate(vectors):
        scores: dict[int, float] = {}
        get = scores.get
        for stem, weight in vector.items():
            posting = postings[stem]
            for j, other in posting[bisect_right(posting, (i, 2.0)) :]:  # ascending: the texts after this one
                scores[j] = get(j, 0.0) + weight * other
        pairs += [(i, j, score) for j, score in scores.items() if score >= threshold]
    return pairs


def similarity(items: Iterable[tuple[int, str]], threshold: float = THRESHOLD) -> Similarity:
    """Neighbours and groups for (entry id, text) items."""
    listed = list(items)
    ids = [entry_id for entry_id, _ in listed]
    pairs = scored_pairs([text for _, text in listed], threshold)
    ranked: dict[int, list[tuple[float, int]]] = {}
    parent = list(range(len(listed)))

    def root(index: int) -> int:
        while parent[index] != index:
            parent[index] = parent[parent[index]]
            index = parent[index]
        return index

    for i, j, score in pairs:
        ranked.setdefault(ids[i], []).append((score, ids[j]))
        ranked.setdefault(ids[j], []).append((score, ids[i]))
        parent[root(i)] = root(j)
    neighbours = {
        entry_id: tuple(other for _, other in sorted(found, key=lambda pair: (-pair[0], pair[1])))
        for entry_id, found in ranked.items()
    }
    members: dict[int, list[int]] = {}
    for index, entry_id in enumerate(ids):
        members.setdefault(root(index), []).append(entry_id)
    groups = sorted((tuple(sorted(group)) for group in members.values() if len(group) > 1), key=lambda g: g[0])
    return Similarity(neighbours=neighbours, groups=tuple(groups))


def grouped_order(ids: Sequence[int], found: Similarity) -> list[int]:
    """The ids with each group of similar eksempler together (groups first, by their smallest id), then the rest."""
    shown = set(ids)
    placed: set[int] = set()
    order: list[int] = []
    for group in found.groups:
        for entry_id in group:
            if entry_id in shown and entry_id not in placed:
                order.append(entry_id)
                placed.add(entry_id)
    order += [entry_id for entry_id in ids if entry_id not in placed]
    return order
