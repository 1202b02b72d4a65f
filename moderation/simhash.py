"""SimHash fingerprints of texts over word shingles (single words and word pairs), for near-duplicates.

Two texts that share most of their word shingles get fingerprints a few bits apart, so "is this
a lightly edited copy" becomes "is the Hamming distance small". Lookups use banding: the 64 bits
are cut into BANDS bands, and by the pigeonhole principle two fingerprints at most BANDS - 1 bits
apart agree exactly on at least one band, so an indexed equality query per band finds every
candidate.
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache

import numpy as np

from moderation.text import fold

BITS = 64
BANDS = 8
BAND_BITS = BITS // BANDS
_WORDS = re.compile(r"\w+")
_MASK = (1 << BITS) - 1


def words(text: str) -> list[str]:
    return _WORDS.findall(fold(text))


def features(text: str) -> list[str]:
    """1- and 2-word shingles of the folded text.

    Measured on typical posts, a one-word edit moves this fingerprint 1-5 bits and unrelated posts
    stay 17+ bits apart; 3-word shingles alone moved edited copies 5-14 bits, past what banding finds.
    """
    tokens = words(text)
    return tokens + [f"{a} {b}" for a, b in zip(tokens, tokens[1:], strict=False)]


@lru_cache(maxsize=64)
def simhash(text: str) -> int:
    """The unsigned 64-bit SimHash of a text (0 for a text with no words). Remembered for the last texts:
    a generated text is fingerprinted when it is checked and again when it is published.

    Bit b is set when more of the features' hashes have bit b set than not. The counting is done on
    the hashes' bytes at once (numpy), not bit by bit in Python: that loop was a delivery's costliest
    step, about 1 ms for a 280-character post.
    """
    found = features(text)
    if not found:
        return 0
    digests = b"".join(hashlib.blake2b(f.encode(), digest_size=8).digest() for f in found)
    # Row per feature, column c = bit 63 - c of its hash (the digest read big-endian).
    bits = np.unpackbits(np.frombuffer(digests, dtype=np.uint8).reshape(-1, 8), axis=1)
    majority = bits.sum(axis=0, dtype=np.int64) * 2 > len(found)
    return int.from_bytes(np.packbits(majority).tobytes(), "big")


def to_signed(value: int) -> int:
    """Stored as a signed 64-bit integer, the widest integer column every database has."""
    value &= _MASK
    return value - (1 << BITS) if value >= 1 << (BITS - 1) else value


def to_unsigned(value: int) -> int:
    return value & _MASK


def bands(value: int) -> list[int]:
    unsigned = to_unsigned(value)
    return [(unsigned >> (band * BAND_BITS)) & ((1 << BAND_BITS) - 1) for band in range(BANDS)]


PAIRS = [(i, j) for i in range(BANDS) for j in range(i + 1, BANDS)]


def pair_keys(value: int) -> list[int]:
    """One integer per pair of bands (28 with 8 bands): which pair, and both bands' bits. Two
    fingerprints share a key exactly when they agree on at least two whole bands, which every pair at
    most BANDS - 2 bits apart does (the differing bits touch at most that many bands)."""
    values = bands(value)
    width = 2 * BAND_BITS
    return [(n << width) | (values[i] << BAND_BITS) | values[j] for n, (i, j) in enumerate(PAIRS)]


def hamming(a: int, b: int) -> int:
    return (to_unsigned(a) ^ to_unsigned(b)).bit_count()


def similarity(a: int, b: int) -> float:
    """1.0 for identical fingerprints, falling linearly with the bits that differ."""
    return 1.0 - hamming(a, b) / BITS


def text_similarity(a: str, b: str) -> float:
    return similarity(simhash(a), simhash(b))
