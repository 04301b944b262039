"""Synthetic eksempler shaped like real ones, for the similarity tests and the benchmark's scale case."""

from __future__ import annotations

import random

SYLLABLES = [
    "bor",
    "ger",
    "kol",
    "le",
    "ga",
    "le",
    "der",
    "barn",
    "for",
    "æl",
    "dre",
    "mø",
    "de",
    "op",
    "ga",
    "ve",
    "hjælp",
    "sam",
    "ar",
    "bej",
    "de",
    "til",
    "lid",
    "an",
    "svar",
    "fag",
]


def synthetic_eksempler(count: int, seed: int = 10) -> list[tuple[int, str]]:
    """Eksempler shaped like real ones: 15–40 content words, Zipf-distributed over a vocabulary of made-up words
    (ranks from 50 on, as the commonest words of a language are its stop words), every tenth a near-copy."""
    rng = random.Random(seed)
    vocabulary = sorted({"".join(rng.choice(SYLLABLES) for _ in range(rng.randint(3, 5))) for _ in range(5000)})
    rng.shuffle(vocabulary)
    weights = [1 / (rank + 50) for rank in range(len(vocabulary))]
    items: list[tuple[int, str]] = []
    for number in range(1, count + 1):
        if number % 10 == 0:
            text = items[-1][1] + " " + rng.choice(vocabulary)
        else:
            text = " ".join(rng.choices(vocabulary, weights, k=rng.randint(15, 40)))
        items.append((number, text))
    return items
