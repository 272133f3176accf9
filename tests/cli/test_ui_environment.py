"""`cobranza ui --port N`: the alert links point at the UI that was started (README "Alerts")."""

from pathlib import Path

from cobranza_pipeline.cli.servers import ui_environment

HOME = Path("/tmp/home")


def test_the_links_follow_the_port_and_host_of_the_ui():
    env = ui_environment({"PATH": "/bin"}, "postgresql:///x", HOME, "127.0.0.1", 3300)
    assert (env["COBRANZA_UI_BASE_URL"], env["DAGSTER_HOME"], env["DATABASE_URL"], env["PATH"]) == (
        "http://127.0.0.1:3300", "/tmp/home", "postgresql:///x", "/bin")
    assert ui_environment({}, "u", HOME, "0.0.0.0", 3001)["COBRANZA_UI_BASE_URL"] == "http://127.0.0.1:3001"
    assert ui_environment({}, "u", HOME, "::1", 3002)["COBRANZA_UI_BASE_URL"] == "http://[::1]:3002"


def test_an_address_given_by_the_operator_is_kept():
    env = ui_environment({"COBRANZA_UI_BASE_URL": "https://dagster.cobranza.pe"}, "u", HOME, "127.0.0.1", 3300)
    assert env["COBRANZA_UI_BASE_URL"] == "https://dagster.cobranza.pe"
