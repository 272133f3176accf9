"""The dashboard's HTTP API over the cobranza MV (`cobranza serve`).

Four read-only endpoints, the old backend's paths and response shapes: the table
(cabinet-financial-14d), its CSV export, the scout attribution KPIs (cached) and the weekly
KPIs. Every statement is a file in sql/queries/ with bound parameters; money stays Decimal and
is rendered as a JSON string with its exact digits ("60.00").

Modules: settings (limits from the environment), filters (query parameters and their rules),
database (sessions and error translation), queries (the SQL files, bound), cache (TTL cache of
the scout KPIs), csv_export (streamed CSV), models (response schemas), app (the routes).
"""

from cobranza_pipeline.api.app import create_app
from cobranza_pipeline.api.settings import ApiSettings

__all__ = ["ApiSettings", "create_app"]
