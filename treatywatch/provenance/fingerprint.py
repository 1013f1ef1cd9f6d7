"""An article's fingerprint: MinHash signatures of the whole text and of its lead, plus features.

Two MinHashes (datasketch, fixed seed): the whole text catches copies, rewrites and reorderings;
the lead (first content words) catches shortened versions, whose Jaccard similarity with the full
text is low although their containment is high. Quote trigrams, distinctive numbers and the
credited outlets travel with it. ``to_bytes`` / ``from_bytes`` are the stored form (the
``signature`` of `StoryAssignment`), versioned by a magic prefix.
"""

from __future__ import annotations

import json
import struct
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

import numpy as np
from datasketch import MinHash

from treatywatch.provenance.text import (
    content_words,
    distinctive_numbers,
    quote_shingles,
    quotes,
    shingles,
)

NUM_PERM = 128
SEED = 20251129
LEAD_WORDS = 45
_MAGIC = b"TWF1"
_HEADER = struct.Struct("<4sHIII")


def _crc32(data: bytes) -> int:
    return zlib.crc32(data)


@cache
def _permutations() -> np.ndarray:
    permutations: np.ndarray = MinHash(NUM_PERM, seed=SEED, hashfunc=_crc32).permutations
    return permutations


def minhash(items: Iterable[str]) -> MinHash:
    """A datasketch MinHash of string items with treatywatch's fixed seed and cheap CRC32 hash."""
    mh = _new_minhash()
    mh.update_batch([item.encode("utf-8") for item in items])
    return mh


def _new_minhash() -> MinHash:
    """Signatures are only comparable under one hashing scheme: stored ones assume affine32."""
    kwargs = {"hashfunc": _crc32, "permutations": _permutations()}
    try:
        return MinHash(NUM_PERM, seed=SEED, scheme="affine32", **kwargs)  # datasketch >= 2
    except TypeError:  # pragma: no cover - datasketch 1.x has a single scheme
        return MinHash(NUM_PERM, seed=SEED, **kwargs)


@dataclass(frozen=True)
class Fingerprint:
    """What the story index keeps of an article."""

    full: np.ndarray
    lead: np.ndarray
    size: int
    lead_size: int
    quote_hashes: frozenset[int]
    numbers: frozenset[str]
    credits: tuple[str, ...]

    def to_bytes(self) -> bytes:
        extra = json.dumps(
            {"q": sorted(self.quote_hashes), "n": sorted(self.numbers), "c": list(self.credits)},
            separators=(",", ":"),
        ).encode("utf-8")
        header = _HEADER.pack(_MAGIC, NUM_PERM, self.size, self.lead_size, len(extra))
        return header + self.full.astype("<u4").tobytes() + self.lead.astype("<u4").tobytes() + extra

    @classmethod
    def from_bytes(cls, blob: bytes) -> Fingerprint:
        magic, num_perm, size, lead_size, extra_len = _HEADER.unpack_from(blob)
        if magic != _MAGIC or num_perm != NUM_PERM:
            raise ValueError("not a treatywatch fingerprint of this version")
        offset = _HEADER.size
        width = 4 * num_perm
        full = np.frombuffer(blob, dtype="<u4", count=num_perm, offset=offset).astype(np.uint32)
        lead = np.frombuffer(blob, dtype="<u4", count=num_perm, offset=offset + width).astype(np.uint32)
        extra = json.loads(blob[offset + 2 * width : offset + 2 * width + extra_len])
        return cls(full, lead, size, lead_size, frozenset(extra["q"]), frozenset(extra["n"]), tuple(extra["c"]))


def fingerprint(text: str, quote_texts: Iterable[str] | None = None, credits: Iterable[str] = ()) -> Fingerprint:
    """Compute an article's fingerprint; ``quote_texts`` defaults to quotes found by pattern."""
    words = content_words(text)
    full = shingles(words)
    lead = shingles(words[:LEAD_WORDS])
    found_quotes = list(quote_texts) if quote_texts is not None else quotes(text)
    return Fingerprint(
        full=minhash(full).hashvalues.astype(np.uint32),
        lead=minhash(lead).hashvalues.astype(np.uint32),
        size=len(full),
        lead_size=len(lead),
        quote_hashes=frozenset(_crc32(q.encode("utf-8")) for q in quote_shingles(found_quotes)),
        numbers=frozenset(distinctive_numbers(text)),
        credits=tuple(credits),
    )
