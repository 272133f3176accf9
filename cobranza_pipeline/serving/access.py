"""Who may use the page and the API: an optional token, and CORS for other origins' pages.

With COBRANZA_API_TOKEN set, every request except the login page and the static assets must
carry the token, in one of two ways:
- `Authorization: Bearer <token>`: API clients, scripts, a proxy in front of the page;
- the page's session cookie, set by POST /login once the token typed into its form matched.
  The cookie holds an expiry and an HMAC-SHA256 of it keyed by the token, never the token:
  HttpOnly (no script can read it), SameSite=Strict (no other site's page sends it along, so
  it cannot be used for cross-site requests), Secure when the request came over https. It is
  what lets plain links carry the token: the pager and the CSV download are ordinary GETs.
Every comparison is constant-time (hmac.compare_digest). Nothing here logs a request's
credentials, and the token is never put in a URL, so access logs never hold it either.
An API request without a valid token is a 401 with `WWW-Authenticate: Bearer`; the page
redirects to /login instead.

CORS (COBRANZA_API_CORS_ORIGINS): Starlette's CORSMiddleware, outside the token gate, so a
preflight from a listed origin is answered (GET, with Content-Type and Authorization headers)
and a 401 still carries the CORS headers the browser needs to show it; another origin's
preflight is refused with a 400. No origin is allowed by default.
"""

import hashlib
import hmac
import time
from http.cookies import SimpleCookie
from typing import Annotated
from urllib.parse import parse_qs, quote

from fastapi import APIRouter, FastAPI, Query, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from cobranza_pipeline.serving.rendering import render
from cobranza_pipeline.settings import AccessSettings

COOKIE = "cobranza_session"
SESSION_S = 12 * 3600
OPEN_PATHS = ("/login", "/logout")
OPEN_PREFIX = "/static/"
PAGE_PATHS = ("/",)
MAX_FORM_BYTES = 4096


def _signature(token: str, expires: int) -> bytes:
    message = f"cobranza page session until {expires}".encode()
    return hmac.new(token.encode(), message, hashlib.sha256).hexdigest().encode()


def session_cookie(token: str, now: float) -> str:
    expires = int(now) + SESSION_S
    return f"{expires}.{_signature(token, expires).decode()}"


def valid_cookie(token: str, value: str, now: float) -> bool:
    expires, _, signature = value.partition(".")
    if not (expires.isascii() and expires.isdigit()) or int(expires) < now:
        return False
    return hmac.compare_digest(signature.encode("latin-1", "replace"), _signature(token, int(expires)))


def valid_bearer(token: str, header: bytes) -> bool:
    scheme, _, given = header.partition(b" ")
    return scheme.lower() == b"bearer" and hmac.compare_digest(given.strip(), token.encode())


def _cookie_value(headers: list[tuple[bytes, bytes]]) -> str | None:
    for name, value in headers:
        if name == b"cookie":
            jar = SimpleCookie()
            try:
                jar.load(value.decode("latin-1"))
            except Exception:  # a malformed Cookie header counts as no cookie
                continue
            if COOKIE in jar:
                return jar[COOKIE].value
    return None


class TokenGate:
    """ASGI middleware: lets through requests with the token (header or session cookie)."""

    def __init__(self, app, token: str):
        self.app = app
        self.token = token

    def allowed(self, scope) -> bool:
        path = scope["path"]
        if path in OPEN_PATHS or path.startswith(OPEN_PREFIX):
            return True
        headers = scope["headers"]
        bearer = next((value for name, value in headers if name == b"authorization"), None)
        if bearer is not None and valid_bearer(self.token, bearer):
            return True
        cookie = _cookie_value(headers)
        return cookie is not None and valid_cookie(self.token, cookie, time.time())

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or self.allowed(scope):
            await self.app(scope, receive, send)
            return
        if scope["path"] in PAGE_PATHS:
            target = scope["path"] + ("?" + scope["query_string"].decode("latin-1") if scope["query_string"] else "")
            response: Response = RedirectResponse("/login?next=" + quote(target, safe=""), status_code=303)
        else:
            response = JSONResponse({"detail": "a valid token is required: send `Authorization: Bearer <token>`"},
                                    status_code=401, headers={"WWW-Authenticate": "Bearer"})
        await response(scope, receive, send)


def install_access(app: FastAPI, access: AccessSettings) -> None:
    """The token gate (when a token is set), then CORS outside it (when origins are listed)."""
    app.state.token = access.token
    app.state.token_required = access.token is not None
    if access.token is not None:
        app.add_middleware(TokenGate, token=access.token)
    if access.cors_origins:
        app.add_middleware(
            CORSMiddleware, allow_origins=list(access.cors_origins), allow_methods=["GET"],
            allow_headers=["Content-Type", "Authorization"], expose_headers=["Content-Disposition", "X-Total-Rows"],
            max_age=600,
        )


login_router = APIRouter(include_in_schema=False)


def _local_target(raw: str | None) -> str:
    """Only a path of this site: never another host (an open redirect)."""
    raw = raw or "/"
    return raw if raw.startswith("/") and not raw.startswith("//") and "\\" not in raw else "/"


@login_router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, target: Annotated[str, Query(alias="next")] = "/") -> Response:
    if not request.app.state.token_required:
        return RedirectResponse(_local_target(target), status_code=303)
    return HTMLResponse(render("login.html", next=_local_target(target), failed=False, signed_in=False))


@login_router.post("/login", response_class=HTMLResponse)
async def login(request: Request) -> Response:
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_FORM_BYTES:
            return HTMLResponse("form too large", status_code=413)
    form = parse_qs(body.decode("utf-8", "replace"))
    target = _local_target((form.get("next") or ["/"])[0])
    token = request.app.state.token
    given = (form.get("token") or [""])[0].strip()
    if token is None:
        return RedirectResponse(target, status_code=303)
    if not hmac.compare_digest(given.encode(), token.encode()):
        return HTMLResponse(render("login.html", next=target, failed=True, signed_in=False), status_code=401)
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(COOKIE, session_cookie(token, time.time()), max_age=SESSION_S, path="/", httponly=True,
                        samesite="strict", secure=request.url.scheme == "https")
    return response


@login_router.post("/logout")
def logout() -> Response:
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(COOKIE, path="/", httponly=True, samesite="strict")
    return response
