"""The long-running commands: `cobranza ui` (dg dev) and `cobranza serve` (the API)."""

import os
import signal
import subprocess
import sys
from pathlib import Path

from cobranza_pipeline.local import embedded
from cobranza_pipeline.local.processes import stop_process_group
from cobranza_pipeline.orchestration.launch import WORKSPACE_YAML, dagster_environment
from cobranza_pipeline.orchestration.local_instance import local_instance
from cobranza_pipeline.serving.server import access_refusal, is_loopback, mv_missing_note, serve
from cobranza_pipeline.settings import Settings
from cobranza_pipeline.warehouse.conninfo import mask_conninfo

UI_STOP_S = 150  # dg dev waits up to 60 s for its webserver, then 60 s for its daemon


def cmd_ui(args, settings: Settings) -> int:
    """Start the Dagster UI (dg dev) on this project, against the database in use."""
    home = settings.local_dagster_home
    local_instance(home).dispose()
    url = embedded.resolve_database_url(settings)
    print(f"Dagster UI on http://{args.host}:{args.port}  (DAGSTER_HOME={home}); Ctrl-C stops it")
    # dg's dev (dagster-dg-cli), which supersedes `dagster dev`: the same webserver, daemon and
    # code server, on the repository's workspace.yaml.
    command = [
        sys.executable, "-m", "dagster_dg_cli.cli", "dev",
        "-w", str(WORKSPACE_YAML),
        "--host", args.host, "--port", str(args.port),
    ]
    # The child gets the resolved database and instance in its environment. Its own process
    # group, so that stopping it reaches its webserver, daemon and code server too (they do not
    # shut down when dg dev itself is killed).
    env = ui_environment(os.environ, url, home, args.host, args.port)
    # Started in DAGSTER_HOME: a dagster.yaml in the folder the command was typed in (the
    # repository's production one) is not the instance's, and Dagster warns about it.
    ui = subprocess.Popen(command, env=env, process_group=0, cwd=home)
    try:
        return ui.wait()
    except KeyboardInterrupt:
        stop_process_group(ui, signal.SIGINT, UI_STOP_S)
        return 0
    except SystemExit:
        stop_process_group(ui, signal.SIGTERM, UI_STOP_S)
        raise


def ui_environment(environ, database_url: str, home: Path, host: str, port: int) -> dict[str, str]:
    """The UI's environment: the resolved database and instance, and the base of the alerts'
    run links pointing at this UI (its port), unless COBRANZA_UI_BASE_URL says otherwise (a
    proxy's public address)."""
    link_host = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host
    link_host = f"[{link_host}]" if ":" in link_host else link_host
    env = dagster_environment(environ, database_url, home)
    if not env.get("COBRANZA_UI_BASE_URL"):
        env["COBRANZA_UI_BASE_URL"] = f"http://{link_host}:{port}"
    return env


def cmd_serve(args, settings: Settings) -> int:
    """Serve the executive web page (/) and the dashboard's HTTP API (table, CSV export, scout
    and weekly KPIs) on the MV."""
    refusal = access_refusal(args.host, settings.access.token is not None, args.no_auth)
    if refusal:
        print(refusal, file=sys.stderr)
        return 2
    url = settings.api_database_url or embedded.resolve_database_url(settings)  # a replica, when given
    print(f"database: {mask_conninfo(url)}")
    note = mv_missing_note(url)  # fails fast, with one clear line, when the database is unreachable
    if note:
        print(note)
    if settings.access.token is not None:
        print("access: the page and the API ask for COBRANZA_API_TOKEN (Bearer header or the page's login)")
    elif not is_loopback(args.host):
        print(f"warning: listening on {args.host} with no authentication (--no-auth)")
    if settings.access.cors_origins:
        print("CORS: allowed origins " + ", ".join(settings.access.cors_origins))
    print(f"page on http://{args.host}:{args.port}/, API under /api/v1 (OpenAPI: /docs, /openapi.json); "
          "Ctrl-C stops it", flush=True)
    return serve(url, settings, args.host, args.port)
