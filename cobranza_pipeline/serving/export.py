"""The export endpoint's body: the count check, then the CSV streamed from the database."""

import logging
from datetime import datetime

import psycopg
from fastapi.responses import StreamingResponse

from cobranza_pipeline.dashboard import queries
from cobranza_pipeline.dashboard.filters import Filters
from cobranza_pipeline.serving import csv_format
from cobranza_pipeline.serving.errors import ApiError
from cobranza_pipeline.serving.sessions import Session, SessionPool, translated_errors

log = logging.getLogger(__name__)


class ExportStream:
    """The CSV chunks of one export; owns the session and closes it when the stream ends, fails,
    or is dropped unread (a client that went away before the first byte)."""

    def __init__(self, session: Session, filters: Filters, max_rows: int):
        self.session = session
        rows = queries.export_rows(session.conn, filters, max_rows, csv_format.COLUMN_NAMES)
        self._chunks = csv_format.csv_chunks(rows)

    def __iter__(self):
        return self

    def __next__(self) -> bytes:
        try:
            return next(self._chunks)
        except StopIteration:
            self.close()
            raise
        except psycopg.Error:
            # Headers are sent: the status cannot change. Ending the response with an error cuts
            # the download short, so a truncated file never looks complete.
            log.exception("CSV export failed while streaming")
            self.close()
            raise
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        try:
            self._chunks.close()
        except psycopg.Error:
            pass
        finally:
            self.session.close()

    def __del__(self):
        self.close()


def export_response(db: SessionPool, filters: Filters, max_rows: int) -> StreamingResponse:
    """413 when the filters select more than max_rows rows (counted in the same snapshot the
    rows are read from), else the CSV as a streamed attachment."""
    session = db.open()
    try:
        with translated_errors():
            total = queries.table_count(session.conn, filters)
        if total > max_rows:
            raise ApiError(413, f"the export would have {total} rows, more than the limit of {max_rows}: "
                                "narrow the filters (week_start, min_debt, reached_milestone, scout_id)")
        stream = ExportStream(session, filters, max_rows)
    except BaseException:
        session.close()
        raise
    name = csv_format.filename(datetime.now())
    return StreamingResponse(
        stream,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"', "X-Total-Rows": str(total)},
    )
