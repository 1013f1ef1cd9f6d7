"""LSH banding over MinHash signatures, kept in compact sorted arrays.

The banding scheme is the one of datasketch's `MinHashLSH` (b bands of r rows; two signatures
sharing any whole band are candidates), but the tables are numpy arrays — one sorted array of
64-bit band keys and one of member positions — plus a small dictionary of recent insertions that
is merged in when it grows. At 100k articles with two signatures each this takes ~12 bytes per
band entry instead of the few hundred that a dictionary of sets needs, and a stored index is
rebuilt with one vectorised sort instead of millions of inserts.
"""

from __future__ import annotations

import numpy as np

_MIX = np.uint64(0x9E3779B97F4A7C15)
_SEED = 104729
MIN_PENDING = 4096


class BandIndex:
    """Positions (ints) indexed by the bands of their MinHash signatures."""

    def __init__(self, bands: int, rows: int) -> None:
        self.bands, self.rows = bands, rows
        salts = np.random.RandomState(_SEED).randint(1, 2**62, size=bands, dtype=np.int64)
        self._salts = salts.astype(np.uint64)
        self._keys = np.empty(0, dtype=np.uint64)
        self._positions = np.empty(0, dtype=np.int32)
        self._pending: dict[int, list[int]] = {}
        self._pending_count = 0

    def band_keys(self, signatures: np.ndarray) -> np.ndarray:
        """The band keys of one signature (shape (bands,)) or of many (shape (n, bands))."""
        values = np.asarray(signatures, dtype=np.uint64)
        values = values[..., : self.bands * self.rows].reshape(*values.shape[:-1], self.bands, self.rows)
        with np.errstate(over="ignore"):
            keys = np.zeros(values.shape[:-1], dtype=np.uint64) ^ self._salts
            for row in range(self.rows):
                keys = (keys ^ values[..., row]) * _MIX
        return keys

    def insert(self, position: int, signature: np.ndarray) -> None:
        for key in self.band_keys(signature).tolist():
            self._pending.setdefault(key, []).append(position)
        self._pending_count += self.bands
        if self._pending_count >= max(MIN_PENDING, len(self._keys) // 4):
            self._compact()

    def insert_many(self, positions: np.ndarray, signatures: np.ndarray) -> None:
        """Bulk insertion (rebuilding a stored index): one sort for all of them."""
        if len(positions) == 0:
            return
        keys = self.band_keys(signatures).reshape(-1)
        owners = np.repeat(np.asarray(positions, dtype=np.int32), self.bands)
        self._merge(keys, owners)

    def query(self, signature: np.ndarray) -> set[int]:
        keys = self.band_keys(signature)
        found: set[int] = set()
        if len(self._keys):
            left = np.searchsorted(self._keys, keys, side="left")
            right = np.searchsorted(self._keys, keys, side="right")
            for lo, hi in zip(left.tolist(), right.tolist(), strict=True):
                if hi > lo:
                    found.update(self._positions[lo:hi].tolist())
        for key in keys.tolist():
            found.update(self._pending.get(key, ()))
        return found

    def _compact(self) -> None:
        keys = np.fromiter(
            (k for k, owners in self._pending.items() for _ in owners), dtype=np.uint64, count=self._pending_count
        )
        owners = np.fromiter(
            (p for ps in self._pending.values() for p in ps), dtype=np.int32, count=self._pending_count
        )
        self._pending, self._pending_count = {}, 0
        self._merge(keys, owners)

    def _merge(self, keys: np.ndarray, owners: np.ndarray) -> None:
        all_keys = np.concatenate([self._keys, keys])
        all_positions = np.concatenate([self._positions, owners])
        order = np.argsort(all_keys, kind="stable")
        self._keys, self._positions = all_keys[order], all_positions[order]

    def __len__(self) -> int:
        return len(self._keys) + self._pending_count
