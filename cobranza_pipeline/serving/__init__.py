"""The dashboard's HTTP API and the executive web page over the cobranza MV (`cobranza serve`).

Four read-only endpoints, the old backend's paths and response shapes (docs/old-backend.md):
the table (cabinet-financial-14d), its CSV export, the scout attribution KPIs (cached) and the
weekly KPIs. The queries are the dashboard package's; money stays Decimal and is rendered as a
JSON string with its exact digits ("60.00").

Modules: params (query parameters and their rules), sessions (a bounded pool of per-request
sessions, database errors as answers), cache (TTL cache of the scout KPIs), csv_format and
export (the spooled CSV download), models (response schemas), app (the routes), server (uvicorn).
The page at `/`: page (its route and panels), page_query (the filters in its URL), charts
(inline SVG), rendering (Jinja2 templates in templates/, money and dates), static/ (CSS and a
little script); access (the optional token, the login form's cookie, CORS).
"""
