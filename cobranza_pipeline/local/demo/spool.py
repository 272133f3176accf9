"""Row lists that keep only a bounded part in memory.

The demo generator draws every row from one seeded random stream in a fixed order (the tests'
fixtures depend on it), so the rows of all tables are made side by side, person after person,
while they are loaded table after table. Held in lists, a million drivers' rows took 1.7 GB;
a spool moves the finished rows to a temporary file in batches and reads them back in order.
"""

import pickle
import tempfile
from collections.abc import Iterator

BATCH_ROWS = 10_000


class RowSpool:
    """Append rows, then read them back once, in order. A row stays in memory, and may still be
    changed, until checkpoint() moves the batch it belongs to to disk: the caller checkpoints
    once a person's rows are final (a scout registration may be named its scout later on)."""

    def __init__(self, rows=(), batch_rows: int | None = None):
        self._file = tempfile.TemporaryFile()
        self._spilled, self._batches = 0, 0
        self._buffer = list(rows)
        self._batch_rows = batch_rows or BATCH_ROWS

    def append(self, row) -> None:
        self._buffer.append(row)

    def __len__(self) -> int:
        return self._spilled + len(self._buffer)

    def checkpoint(self) -> None:
        """Move the rows held so far to disk once they make a batch."""
        if len(self._buffer) >= self._batch_rows:
            pickle.dump(self._buffer, self._file, protocol=pickle.HIGHEST_PROTOCOL)
            self._spilled += len(self._buffer)
            self._batches += 1
            self._buffer = []

    def __iter__(self) -> Iterator:
        """Every row, oldest first; the spool is emptied (its file closed) on the way."""
        self._file.seek(0)
        for _ in range(self._batches):
            yield from pickle.load(self._file)
        self._file.close()
        yield from self._buffer
