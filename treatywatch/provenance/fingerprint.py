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

from treatywatch.provenance.signature import (
    date_keys,
    gist_keys,
    lead_text,
    name_keys,
    published_key,
    sentence_keys,
    title_keys,
    word_keys,
)
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
_MAGIC2 = b"TWF2"
_HEADER2 = struct.Struct("<4sHIIIHHHHHH")


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
    """What the story index keeps of an article.

    Beside the two MinHashes: ``words`` (content words, 16-bit skeleton keys), ``names``,
    ``gist`` (content words of quotes), ``title`` (headline words) and ``dates`` — the signature
    that survives rewording and translation (`signature.py`). A version-1 fingerprint (stored
    before these existed) decodes with them empty and is compared on its wording alone.
    """

    full: np.ndarray
    lead: np.ndarray
    size: int
    lead_size: int
    quote_hashes: frozenset[int]
    numbers: frozenset[str]
    credits: tuple[str, ...]
    words: frozenset[int] = frozenset()
    names: frozenset[int] = frozenset()
    gist: frozenset[int] = frozenset()
    title: frozenset[int] = frozenset()
    dates: frozenset[str] = frozenset()
    sentences: tuple[frozenset[int], ...] = ()
    lead_dates: frozenset[str] = frozenset()

    def to_bytes(self) -> bytes:
        extra = json.dumps(
            {"q": sorted(self.quote_hashes), "n": sorted(self.numbers), "c": list(self.credits),
             "d": sorted(self.dates), "ld": sorted(self.lead_dates)},
            separators=(",", ":"),
        ).encode("utf-8")
        lengths = [len(s) for s in self.sentences]
        counts = (len(self.words), len(self.gist), len(self.title), len(self.names), len(lengths), sum(lengths))
        header = _HEADER2.pack(_MAGIC2, NUM_PERM, self.size, self.lead_size, len(extra), *counts)
        sentence_keys = [k for s in self.sentences for k in sorted(s)]
        keys = b"".join(np.array(values, dtype=dtype).tobytes()
                        for values, dtype in ((sorted(self.words), "<u2"), (sorted(self.gist), "<u2"),
                                              (sorted(self.title), "<u2"), (sorted(self.names), "<u4"),
                                              (lengths, "<u2"), (sentence_keys, "<u2")))
        return header + self.full.astype("<u4").tobytes() + self.lead.astype("<u4").tobytes() + keys + extra

    @classmethod
    def from_bytes(cls, blob: bytes) -> Fingerprint:
        if blob[:4] == _MAGIC:
            return cls._from_v1(blob)
        magic, num_perm, size, lead_size, extra_len, *counts = _HEADER2.unpack_from(blob)
        if magic != _MAGIC2 or num_perm != NUM_PERM:
            raise ValueError("not a treatywatch fingerprint of this version")
        offset = _HEADER2.size
        full, lead, offset = _signatures(blob, offset, num_perm)
        arrays: list[list[int]] = []
        for count, dtype in zip(counts, ("<u2", "<u2", "<u2", "<u4", "<u2", "<u2"), strict=True):
            arrays.append(np.frombuffer(blob, dtype=dtype, count=count, offset=offset).tolist())
            offset += count * np.dtype(dtype).itemsize
        extra = json.loads(blob[offset : offset + extra_len])
        words, gist, title, names, lengths, flat = arrays
        starts = np.cumsum([0, *lengths]).tolist()
        sentences = tuple(frozenset(flat[a:b]) for a, b in zip(starts, starts[1:], strict=False))
        return cls(full, lead, size, lead_size, frozenset(extra["q"]), frozenset(extra["n"]), tuple(extra["c"]),
                   frozenset(words), frozenset(names), frozenset(gist), frozenset(title), frozenset(extra["d"]),
                   sentences, frozenset(extra["ld"]))

    @classmethod
    def _from_v1(cls, blob: bytes) -> Fingerprint:
        magic, num_perm, size, lead_size, extra_len = _HEADER.unpack_from(blob)
        if num_perm != NUM_PERM:
            raise ValueError("not a treatywatch fingerprint of this version")
        full, lead, offset = _signatures(blob, _HEADER.size, num_perm)
        extra = json.loads(blob[offset : offset + extra_len])
        return cls(full, lead, size, lead_size, frozenset(extra["q"]), frozenset(extra["n"]), tuple(extra["c"]))


def _signatures(blob: bytes, offset: int, num_perm: int) -> tuple[np.ndarray, np.ndarray, int]:
    width = 4 * num_perm
    full = np.frombuffer(blob, dtype="<u4", count=num_perm, offset=offset).astype(np.uint32)
    lead = np.frombuffer(blob, dtype="<u4", count=num_perm, offset=offset + width).astype(np.uint32)
    return full, lead, offset + 2 * width


def fingerprint(
    text: str,
    quote_texts: Iterable[str] | None = None,
    credits: Iterable[str] = (),
    title: str | None = None,
    published: str | None = None,
) -> Fingerprint:
    """Compute an article's fingerprint; ``quote_texts`` defaults to quotes found by pattern.
    ``published`` (an ISO date) counts among the dates the article gives."""
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
        words=word_keys(text),
        names=name_keys(text),
        gist=gist_keys(found_quotes),
        title=title_keys(text, title),
        dates=date_keys(text) | published_key(published),
        sentences=sentence_keys(text),
        lead_dates=date_keys(lead_text(text)),
    )
