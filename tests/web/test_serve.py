"""`bridge serve` without a browser: the command it serves, its one-sentence errors, and who the
access check lets in (the middleware on its own, then the real command on a network address)."""

from __future__ import annotations

import asyncio
import json
import shlex
import socket
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bridge_tui.cli.common import Ctx
from bridge_tui.cli.serve import board_url, served_command
from tests.cli_run import Run, cli_db, cli_run  # noqa: F401  (fixtures)
from tests.web.serving import serving

aiohttp = pytest.importorskip("aiohttp", reason="bridge serve's web server is not installed")
from aiohttp import WSServerHandshakeError, web  # noqa: E402
from aiohttp.test_utils import TestClient, TestServer  # noqa: E402

from bridge_tui.web.access import REFUSED, access_middleware, is_loopback  # noqa: E402

TOKEN = "s3cret-token_for-tests"
COOKIE = "bridge_token_1"


# -- the command each browser tab runs ---------------------------------------------------------


def test_the_served_command_is_this_python_on_the_same_file_as_the_same_author(
    tmp_path: Path,
) -> None:
    db = tmp_path / "a folder with spaces" / "team's board.db"
    argv = shlex.split(served_command(Ctx(str(db), "Ana María")))
    assert argv == [
        sys.executable,
        "-m",
        "bridge_tui",
        "--db",
        str(db.resolve()),
        "--as",
        "Ana María",
    ]


def test_a_read_only_serve_serves_read_only(tmp_path: Path) -> None:
    argv = shlex.split(served_command(Ctx(str(tmp_path / "x.db"), "ana", read_only=True)))
    assert argv[-1] == "--read-only"


def test_the_link_names_the_host_and_carries_the_token() -> None:
    assert board_url("127.0.0.1", 8123, None) == "http://127.0.0.1:8123/"
    assert board_url("::1", 8123, None) == "http://[::1]:8123/"
    assert board_url("192.168.4.7", 80, "abc") == "http://192.168.4.7:80/?token=abc"
    # listening on every address: the link names one a colleague can reach, never 0.0.0.0
    shown = board_url("0.0.0.0", 8123, "abc")
    assert "0.0.0.0" not in shown and shown.endswith(":8123/?token=abc")


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.5.0.1", True),
        ("localhost", True),
        ("LOCALHOST", True),
        ("::1", True),
        ("[::1]", True),
        ("0.0.0.0", False),
        ("::", False),
        ("", False),
        ("192.168.1.10", False),
        ("board.example.com", False),
        ("localhost.example.com", False),
    ],
)
def test_only_loopback_addresses_go_without_a_token(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


# -- one clear sentence, exit 2 ----------------------------------------------------------------


@pytest.mark.parametrize("port", ["0", "-1", "65536"])
def test_a_port_out_of_range_is_one_sentence(run: Run, db: Path, port: str) -> None:
    result = run("serve", "--port", port)
    assert result.code == 2
    assert result.err == f"bridge: --port must be a number from 1 to 65535, not {port}.\n"


def test_a_busy_port_is_one_sentence(run: Run, db: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        result = run("serve", "--port", str(port))
    assert result.code == 2
    assert result.err == (
        f"bridge: cannot listen on 127.0.0.1:{port}: port {port} is already in use; choose "
        "another with --port.\n"
    )


def test_an_unknown_host_is_one_sentence(run: Run, db: Path) -> None:
    result = run("serve", "--host", "no-such-host.invalid")
    assert result.code == 2
    assert result.err.startswith("bridge: cannot listen on 'no-such-host.invalid'")
    assert result.err.count("\n") == 1


def test_a_missing_file_is_refused_before_serving(run: Run) -> None:
    result = run("--db", "nothing-here.db", "serve")
    assert result.code == 2
    assert "nothing-here.db does not exist" in result.err
    assert result.out == ""


def test_other_commands_do_not_load_the_web_server() -> None:
    code = (
        "import sys, bridge_tui.cli\n"
        "print([m for m in ('aiohttp', 'textual_serve', 'bridge_tui.web') if m in sys.modules])\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert out.stdout.strip() == "[]"


# -- the access check on its own ---------------------------------------------------------------


async def _page(request: web.Request) -> web.Response:
    return web.Response(text="the board")


async def _socket(request: web.Request) -> web.WebSocketResponse:
    ws = web.WebSocketResponse()
    await ws.prepare(request)
    await ws.send_str("hello")
    await ws.close()
    return ws


async def _client(token: str | None) -> TestClient[web.Request, web.Application]:
    app = web.Application(middlewares=[access_middleware(token, COOKIE)])
    app.router.add_get("/", _page)
    app.router.add_get("/ws", _socket)
    app.router.add_get("/static/{name}", _page)
    client = TestClient(TestServer(app, host="127.0.0.1"))
    await client.start_server()
    return client


@pytest.fixture
async def guarded() -> AsyncIterator[TestClient[web.Request, web.Application]]:
    client = await _client(TOKEN)
    yield client
    await client.close()


@pytest.fixture
async def loopback() -> AsyncIterator[TestClient[web.Request, web.Application]]:
    client = await _client(None)
    yield client
    await client.close()


@pytest.mark.parametrize("query", ["", "?token=", "?token=wrong", f"?token={TOKEN}x", "?tok=x"])
@pytest.mark.parametrize("path", ["/", "/static/textual.js", "/nowhere"])
async def test_without_the_token_every_path_is_refused(
    guarded: TestClient[web.Request, web.Application], path: str, query: str
) -> None:
    response = await guarded.get(path + query, allow_redirects=False)
    assert response.status == 403
    assert await response.text() == REFUSED


@pytest.mark.parametrize("query", ["", "?token=wrong"])
async def test_without_the_token_the_websocket_is_refused(
    guarded: TestClient[web.Request, web.Application], query: str
) -> None:
    with pytest.raises(WSServerHandshakeError) as refused:
        await guarded.ws_connect("/ws" + query)
    assert refused.value.status == 403


async def test_the_link_trades_the_token_for_a_cookie_and_drops_it_from_the_address(
    guarded: TestClient[web.Request, web.Application],
) -> None:
    response = await guarded.get(f"/?token={TOKEN}&fontsize=20", allow_redirects=False)
    assert response.status == 302
    assert response.headers["Location"] == "/?fontsize=20"
    cookie = response.cookies[COOKIE]
    assert cookie.value == TOKEN
    assert cookie["httponly"] and cookie["samesite"] == "Strict"
    # the same client now carries the cookie: the page, the files and the websocket open
    page = await guarded.get("/")
    assert page.status == 200 and await page.text() == "the board"
    assert page.headers["Referrer-Policy"] == "no-referrer"
    assert (await guarded.get("/static/textual.js")).status == 200
    ws = await guarded.ws_connect("/ws")
    assert await ws.receive_str() == "hello"
    await ws.close()


async def test_a_wrong_cookie_is_refused(guarded: TestClient[web.Request, web.Application]) -> None:
    response = await guarded.get("/", cookies={COOKIE: "wrong"})
    assert response.status == 403
    with pytest.raises(WSServerHandshakeError) as refused:
        await guarded.ws_connect("/ws", headers={"Cookie": f"{COOKIE}=wrong"})
    assert refused.value.status == 403


async def test_a_websocket_opened_by_another_site_is_refused_even_with_the_cookie(
    guarded: TestClient[web.Request, web.Application],
) -> None:
    await guarded.get(f"/?token={TOKEN}")
    with pytest.raises(WSServerHandshakeError) as refused:
        await guarded.ws_connect("/ws", origin="http://evil.example")
    assert refused.value.status == 403
    host = f"{guarded.host}:{guarded.port}"
    ws = await guarded.ws_connect("/ws", origin=f"http://{host}")
    assert await ws.receive_str() == "hello"
    await ws.close()


async def test_on_loopback_no_token_is_asked(
    loopback: TestClient[web.Request, web.Application],
) -> None:
    assert (await loopback.get("/")).status == 200
    ws = await loopback.ws_connect("/ws")
    assert await ws.receive_str() == "hello"
    await ws.close()


async def test_on_loopback_a_page_under_another_name_is_refused(
    loopback: TestClient[web.Request, web.Application],
) -> None:
    """DNS rebinding: a site whose name now points at 127.0.0.1 may not drive the board."""
    response = await loopback.get("/", headers={"Host": f"evil.example:{loopback.port}"})
    assert response.status == 403
    with pytest.raises(WSServerHandshakeError) as refused:
        await loopback.ws_connect("/ws", origin="http://evil.example")
    assert refused.value.status == 403
    ok = await loopback.get("/", headers={"Host": f"localhost:{loopback.port}"})
    assert ok.status == 200


# -- the real command on a network address -----------------------------------------------------


@pytest.mark.slow
def test_served_on_the_network_only_the_printed_link_gets_in(sample_db: Path) -> None:
    async def check(served_base: str, token: str) -> None:
        async with aiohttp.ClientSession() as session:
            for query in ("", "?token=wrong"):
                async with session.get(f"{served_base}/{query}") as page:
                    assert page.status == 403
                with pytest.raises(WSServerHandshakeError) as refused:
                    await session.ws_connect(f"{served_base}/ws{query}")
                assert refused.value.status == 403
        # (a browser keeps cookies from an address like 127.0.0.1; aiohttp only when told)
        async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as session:
            async with session.get(f"{served_base}/?token={token}") as page:
                assert page.status == 200  # after the redirect that sets the cookie
                html = await page.text()
            assert "bridge · sample.db" in html
            assert "googleapis" not in html  # nothing is fetched from the internet
            # the websocket starts this bridge on the file and streams the board
            async with session.ws_connect(f"{served_base}/ws?width=120&height=40") as ws:
                seen = b""
                while b"Experiment" not in seen:
                    message = await asyncio.wait_for(ws.receive(), timeout=60)
                    assert message.type == aiohttp.WSMsgType.BINARY, message
                    seen += message.data
                await ws.send_str(json.dumps(["stdin", "q"]))

    with serving(sample_db, "--host", "0.0.0.0") as served:
        assert served.token is not None
        assert "share it only with the people you mean to" in "".join(served.lines)
        asyncio.run(check(served.base, served.token))


def test_the_page_title_is_the_file_name_as_plain_text_on_one_line() -> None:
    from bridge_tui.cli.serve import page_title

    assert page_title(Path("/tmp/[bold]<b>.db")) == "bridge · [bold]<b>.db"
    assert page_title(Path("/tmp/a\x1b[2Jb\nc.db")) == "bridge · a[2Jb c.db"


async def test_the_page_title_shows_the_file_name_as_typed() -> None:
    """The title holds the file's name: a name like `[/]<b>.db` is text on the page, never
    markup or HTML (Jinja escapes it; nothing passes it to Rich)."""
    from markupsafe import escape

    from bridge_tui.web.server import BoardServer

    name = "bridge · [/]<b>x</b> & [bold].db"
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        server = BoardServer("true", sock, title=name, token=None)
        client = TestClient(TestServer(await server._make_app(), host="127.0.0.1"))
        await client.start_server()
        try:
            page = await (await client.get("/")).text()
        finally:
            await client.close()
    assert f"<title>{escape(name)}</title>" in page  # the name, escaped as HTML text
    assert "<b>x</b>" not in page
