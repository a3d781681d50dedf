"""`bridge serve` in a real browser: headless Chromium from the system's packages, driven by
Playwright (which never downloads a browser of its own here).

The page draws the terminal on a canvas, so the test reads what xterm.js holds in its screen
buffer, the very cells it paints: an init script keeps a reference to the page's terminal as
textual.js creates it (textual.js is served unchanged). A screenshot of the terminal also has to
change when a key moves the selection.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.web.serving import Served, serving

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
#: the machine's network is closed: without these, Chromium keeps dialling Google and stalls
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

#: textual.js does `this.terminal = new Terminal(...)`: catch that assignment, keep the object
KEEP_TERMINAL = """
window.__terminals = [];
Object.defineProperty(Object.prototype, "terminal", {
  configurable: true,
  get() { return undefined; },
  set(value) {
    Object.defineProperty(this, "terminal", {
      value, writable: true, configurable: true, enumerable: true,
    });
    window.__terminals.push(value);
  },
});
"""

#: the terminal's visible rows as text
SCREEN = """() => {
  const term = (window.__terminals || []).find((t) => t && t.buffer && t.buffer.active);
  if (!term) return "";
  const buffer = term.buffer.active;
  const rows = [];
  for (let y = 0; y < term.rows; y++) {
    const line = buffer.getLine(buffer.viewportY + y);
    rows.push(line ? line.translateToString(true) : "");
  }
  return rows.join("\\n");
}"""

FIRST = "Document extraction: proof of delivery"
SECOND = "Warehouse slotting"


def _title_row(screen: str) -> str:
    """The row of the stage headers, which ends with the detail pane's title."""
    return next((row for row in screen.splitlines() if "Infrastructure" in row), "")


@pytest.fixture
def chromium() -> Iterator[object]:
    sync_api = pytest.importorskip(
        "playwright.sync_api",
        reason="Playwright is not installed (pip install -e '.[test]')",
    )
    if CHROMIUM is None:
        pytest.skip("no Chromium on this machine: install it with 'apt-get install chromium'")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def served(sample_db: Path) -> Iterator[Served]:
    with serving(sample_db, author="browser") as served:
        yield served


def test_the_board_opens_in_a_browser_and_answers_the_keys(
    chromium: object, served: Served, tmp_path: Path
) -> None:
    from playwright.sync_api import Browser

    assert isinstance(chromium, Browser)
    page = chromium.new_page(viewport={"width": 1280, "height": 800})
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.add_init_script(KEEP_TERMINAL)

    # on this computer only: no token asked
    assert served.url == f"http://127.0.0.1:{served.port}/"
    response = page.goto(served.url)
    assert response is not None and response.status == 200
    assert page.title() == "bridge · sample.db"

    # the board paints: the stage headers, and the first card's full name in the detail pane
    page.wait_for_function(
        f"() => ({SCREEN})().includes('Infrastructure') && ({SCREEN})().includes({FIRST!r})",
        timeout=60_000,
    )
    before = page.evaluate(SCREEN)
    assert "Experiment" in before and "Pilot" in before
    assert _title_row(before).rstrip().endswith(FIRST), before
    terminal = page.locator(".xterm-screen")
    shot_before = terminal.screenshot(path=str(tmp_path / "before.png"))

    # a key press (no click first: the page gives the keyboard to the board) moves the selection
    page.keyboard.press("ArrowDown")
    page.wait_for_function(
        f"""() => {{
          const row = ({SCREEN})().split("\\n").find((r) => r.includes("Infrastructure")) || "";
          return row.trimEnd().endsWith({SECOND!r});
        }}""",
        timeout=30_000,
    )
    after = page.evaluate(SCREEN)
    assert FIRST not in after, after
    # and the canvas the person looks at was repainted
    shot_after = terminal.screenshot(path=str(tmp_path / "after.png"))
    assert shot_after != shot_before
    assert errors == []
    page.close()
