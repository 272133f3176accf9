"""The export endpoint's body: the count check, the CSV read into a spool, then sent.

The rows are read from the database into a spooled temporary file (in memory up to
SPOOL_MEMORY_BYTES, then on disk) and the session is closed before the first byte goes out.
A download therefore never holds a database session: a slow or vanished client cannot fill
the API's sessions, and no session is left `idle in transaction` when a client goes away. The
price is that the first byte waits for the whole query (the row cap bounds it). A client that
reads nothing for the write timeout is cut off: the body ends without its last chunk, so the
file never looks complete.
"""

import logging
import tempfile
from datetime import datetime

import anyio
from fastapi.responses import StreamingResponse

from cobranza_pipeline.dashboard import queries
from cobranza_pipeline.dashboard.filters import Filters
from cobranza_pipeline.serving import csv_format
from cobranza_pipeline.serving.errors import ApiError
from cobranza_pipeline.serving.sessions import SessionPool

log = logging.getLogger(__name__)

SPOOL_MEMORY_BYTES = 8 * 1024 * 1024
SEND_CHUNK_BYTES = 64 * 1024


class CsvDownload(StreamingResponse):
    """The spooled CSV as a chunked attachment; every send must complete within write_timeout_s.
    The spool is closed when the response ends, however it ends."""

    def __init__(self, spool, write_timeout_s: float, headers: dict[str, str]):
        self.spool = spool
        self.write_timeout_s = write_timeout_s
        super().__init__(self._chunks(), media_type="text/csv; charset=utf-8", headers=headers)

    async def _chunks(self):
        while chunk := await anyio.to_thread.run_sync(self.spool.read, SEND_CHUNK_BYTES):
            yield chunk

    async def __call__(self, scope, receive, send) -> None:
        async def send_in_time(message) -> None:
            with anyio.fail_after(self.write_timeout_s):
                await send(message)

        try:
            await super().__call__(scope, receive, send_in_time)
        except TimeoutError:
            # Returning without completing the response makes the server close the connection.
            log.warning("CSV export cut off: the client read nothing for %s s", self.write_timeout_s)
        finally:
            self.spool.close()


def spool_csv(rows) -> tempfile.SpooledTemporaryFile:
    """The CSV of rows in a spooled temporary file, rewound."""
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_MEMORY_BYTES)
    try:
        for chunk in csv_format.csv_chunks(rows):
            spool.write(chunk)
        spool.seek(0)
    except BaseException:
        spool.close()
        raise
    return spool


def export_response(db: SessionPool, filters: Filters, max_rows: int, write_timeout_s: float) -> CsvDownload:
    """413 when the filters select more than max_rows rows (counted in the same snapshot the
    rows are read from), else the CSV as an attachment, its session already closed."""
    with db.session() as conn:
        total = queries.table_count(conn, filters)
        if total > max_rows:
            raise ApiError(413, f"the export would have {total} rows, more than the limit of {max_rows}: "
                                "narrow the filters (week_start, min_debt, reached_milestone, scout_id)")
        spool = spool_csv(queries.export_rows(conn, filters, max_rows, csv_format.COLUMN_NAMES))
    name = csv_format.filename(datetime.now())
    headers = {"Content-Disposition": f'attachment; filename="{name}"', "X-Total-Rows": str(total)}
    return CsvDownload(spool, write_timeout_s, headers)
