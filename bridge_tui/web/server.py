"""textual-serve's server, bound and guarded by bridge.

Differences from `textual_serve.server.Server`: the socket is bound before the server starts (so a
busy port is one clear sentence, not a traceback), every request passes `access.check_access`,
the page points its websocket at the address the browser used (not at the listening address,
which may be 0.0.0.0), and the page loads nothing from the internet (the font is bundled).
"""

from __future__ import annotations

import asyncio
import logging
import signal
import socket
from pathlib import Path
from typing import Any

import aiohttp_jinja2
from aiohttp import WSCloseCode, web
from aiohttp.web_runner import GracefulExit
from textual_serve.app_service import AppService
from textual_serve.server import Server, to_int

from bridge_tui.web.access import access_middleware

TEMPLATES = Path(__file__).resolve().parent / "templates"


class BoardServer(Server):
    """Serves `command` (bridge on one file) to browsers through an already bound socket."""

    def __init__(self, command: str, sock: socket.socket, *, title: str, token: str | None) -> None:
        port = sock.getsockname()[1]
        super().__init__(command, port=port, title=title, templates_path=TEMPLATES)
        self.sock = sock
        self.token = token
        #: cookies are not kept apart by port: two boards on one computer need two names
        self.cookie = f"bridge_token_{port}"
        self._sockets: set[web.WebSocketResponse] = set()

    def initialize_logging(self) -> None:
        """Warnings and errors only: a request log means nothing to the person serving."""
        logging.basicConfig(level=logging.WARNING, format="bridge serve: %(message)s")

    async def _make_app(self) -> web.Application:
        app = await super()._make_app()
        app.middlewares.append(access_middleware(self.token, self.cookie))
        return app

    async def on_startup(self, app: web.Application) -> None:
        """The address was printed before the server started; nothing more to say."""

    async def _process_messages(
        self, websocket: web.WebSocketResponse, app_service: AppService
    ) -> None:
        self._sockets.add(websocket)
        try:
            await super()._process_messages(websocket, app_service)
        finally:
            self._sockets.discard(websocket)

    async def on_shutdown(self, app: web.Application) -> None:
        """Close every browser's websocket, so each tab's app quits now (and saves nothing
        half-way) instead of when the browser next writes."""
        await asyncio.gather(
            *(
                ws.close(code=WSCloseCode.GOING_AWAY, message=b"bridge serve stopped")
                for ws in list(self._sockets)
            ),
            return_exceptions=True,
        )

    async def handle_index(self, request: web.Request) -> web.StreamResponse:
        scheme = "wss" if request.secure else "ws"
        context: dict[str, Any] = {
            "font_size": to_int(request.query.get("fontsize", "16"), 16),
            "app_websocket_url": f"{scheme}://{request.host}/ws",
            "config": {"static": {"url": "/static/"}},
            "application": {"name": self.title},
        }
        response = aiohttp_jinja2.render_template("app_index.html", request, context)
        response.headers["Cache-Control"] = "no-store"
        return response

    def serve(self, debug: bool = False) -> None:
        """Run until Ctrl+C (or SIGTERM); the served apps are told to quit on the way out."""
        self.debug = debug
        self.initialize_logging()
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        try:
            for sig in (signal.SIGINT, signal.SIGTERM):
                loop.add_signal_handler(sig, self.request_exit)
        except (NotImplementedError, RuntimeError):  # Windows, or not the main thread
            pass
        try:
            web.run_app(
                self._make_app(),
                sock=self.sock,
                handle_signals=False,
                loop=loop,
                print=None,
                access_log=None,
            )
        except GracefulExit:
            pass
        finally:
            loop.close()
