"""The compact LSH band index finds what shares a band, before and after compaction and in bulk."""

from __future__ import annotations

import numpy as np

from treatywatch.provenance.bands import MIN_PENDING, BandIndex


def signatures(n: int, seed: int = 3) -> np.ndarray:
    return np.random.RandomState(seed).randint(0, 2**32, size=(n, 128), dtype=np.uint64).astype(np.uint32)


def test_incremental_and_bulk_indexes_answer_alike_across_compactions() -> None:
    sigs = signatures(3 * MIN_PENDING // 42 + 10)
    incremental = BandIndex(42, 3)
    for position, sig in enumerate(sigs):
        incremental.insert(position, sig)
    bulk = BandIndex(42, 3)
    bulk.insert_many(np.arange(len(sigs)), sigs)
    assert len(incremental) == len(bulk) == 42 * len(sigs)
    for position in (0, len(sigs) // 2, len(sigs) - 1):
        assert incremental.query(sigs[position]) == bulk.query(sigs[position]) == {position}


def test_one_shared_band_is_enough_and_none_is_not_a_candidate() -> None:
    sigs = signatures(50)
    index = BandIndex(42, 3)
    index.insert_many(np.arange(50), sigs)
    probe = signatures(1, seed=99)[0]
    assert index.query(probe) == set()
    probe[30:33] = sigs[7][30:33]  # band 10 of member 7
    assert index.query(probe) == {7}
