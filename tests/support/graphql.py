"""Asking a real dagster-webserver what the UI would show, through its GraphQL endpoint."""

import json
import urllib.error
import urllib.request


def post_graphql(port: int, query: str, variables: dict) -> dict:
    """The webserver's answer, whatever its HTTP status (a GraphQL error is answered with 500)."""
    request = urllib.request.Request(f"http://127.0.0.1:{port}/graphql", method="POST",
                                     data=json.dumps({"query": query, "variables": variables}).encode(),
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.load(response)
    except urllib.error.HTTPError as error:
        return json.load(error)


def graphql(port: int, query: str, variables: dict) -> dict:
    """The answer's data; the test fails on any GraphQL error."""
    body = post_graphql(port, query, variables)
    assert "errors" not in body, body
    return body["data"]
