"""Who may reach a served board: the aiohttp middleware in front of every page and websocket.

On a loopback address only this computer can connect, but a web page open in its browser still
could: the middleware refuses a websocket opened by another site (its Origin) and a request that
names a host other than this computer's (DNS rebinding). On any other address a request must also
carry the access token: once in the link (`?token=...`, which then trades it for a cookie and
drops it from the address bar), after that in the cookie; the websocket gets the cookie too.
"""

from __future__ import annotations

import hmac
import ipaddress
import secrets
from urllib.parse import urlsplit

from aiohttp import hdrs, web
from aiohttp.typedefs import Handler, Middleware

#: what a refused browser shows: plain text, one sentence a colleague can act on
REFUSED = (
    "bridge: this board needs the access link with its token; ask the person who shared it "
    "for the whole link."
)
FOREIGN = "bridge: this board only answers pages it served itself."


def new_token() -> str:
    """A fresh, unguessable token for one run of `bridge serve`."""
    return secrets.token_urlsafe(24)


def is_loopback(host: str) -> bool:
    """Only this computer can reach `host`: `localhost` or a loopback address."""
    name = host.strip().strip("[]").lower()
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def _same(given: str | None, token: str) -> bool:
    return given is not None and hmac.compare_digest(given.encode(), token.encode())


def _same_site(origin: str, host: str) -> bool:
    return urlsplit(origin).netloc.lower() == host.lower()


def _host_name(netloc: str) -> str:
    """`example:8000` or `[::1]:8000` without the port."""
    return urlsplit(f"//{netloc}").hostname or ""


def access_middleware(token: str | None, cookie: str) -> Middleware:
    """The middleware for one server: `token` None means loopback only (no token asked)."""

    @web.middleware
    async def check_access(request: web.Request, handler: Handler) -> web.StreamResponse:
        host = request.headers.get(hdrs.HOST, "")
        if token is None and not is_loopback(_host_name(host)):
            # served on loopback, yet the browser thinks it talks to another name: a page
            # that rebound its own domain to 127.0.0.1 to drive this board
            raise web.HTTPForbidden(text=FOREIGN)
        origin = request.headers.get(hdrs.ORIGIN)
        if request.path == "/ws" and origin is not None and not _same_site(origin, host):
            # another site's page opening our websocket with this browser's cookie
            raise web.HTTPForbidden(text=FOREIGN)
        if token is None or _same(request.cookies.get(cookie), token):
            return _private(await handler(request))
        if _same(request.query.get("token"), token):
            if request.method == "GET" and request.path == "/":
                # keep the token out of the address bar, the history and any Referer
                query = request.url.query.copy()
                query.popall("token", None)
                found = web.HTTPFound(request.rel_url.with_query(query))
                found.set_cookie(cookie, token, httponly=True, samesite="Strict", path="/")
                _no_referrer(found)
                raise found
            return _private(await handler(request))
        raise web.HTTPForbidden(text=REFUSED)

    return check_access


def _no_referrer(response: web.StreamResponse) -> None:
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["Cache-Control"] = "no-store"


def _private(response: web.StreamResponse) -> web.StreamResponse:
    """No page of the board tells another site where it came from."""
    if not response.prepared:
        response.headers["Referrer-Policy"] = "no-referrer"
    return response
