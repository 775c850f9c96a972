"""Open built pages in headless Chromium and list every console error and failed request.

Talks the DevTools protocol over a websocket (tornado's client, which Jupyter
already installs), so it needs no browser driver package. Chromium runs with
``--disable-background-networking`` against a local server on 127.0.0.1, so a
page that reaches for the network shows up as a failed request.

    python tests/sitecheck.py _build/html            # every page
    python tests/sitecheck.py _build/html book/05_mlp_to_dcgan.html
    python tests/sitecheck.py --sliders _build/html book/12_mode_collapse.html

``--sliders`` presses an arrow key on every slider of each page, and clicks an
unchosen button of every picker (a row of toggle buttons) and the next option of
every drop-down menu, as a reader would,
and reports whether the picture beside each changed (no kernel runs: the
widgets' saved state and their browser-side links do the work); ``--shots DIR``
also saves a screenshot of each page after its controls moved.
"""

from __future__ import annotations

import asyncio
import base64
import functools
import http.server
import json
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any, Awaitable, Callable

from tornado.websocket import websocket_connect

BROWSERS = ("chromium", "chromium-browser", "google-chrome")


def browser() -> str | None:
    """The Chromium on this machine, or None."""
    return next((path for name in BROWSERS if (path := shutil.which(name))), None)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


class _QuietServer(http.server.ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a browser that closes a connection early is not a page problem


class Server:
    """A static file server for ``root`` on 127.0.0.1, in a thread."""

    def __init__(self, root: Path) -> None:
        handler = functools.partial(_QuietHandler, directory=str(root))
        self.httpd = _QuietServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()


# The pictures visible inside the widget box around a slider handle, as one string (a PNG's size and tail).
_VISIBLE = """(h) => { const box = h.closest('.widget-vbox') || h.closest('.jupyter-widgets') || document.body;
  return [...box.querySelectorAll('img')].filter(i => i.offsetParent !== null)
    .map(i => i.src.length + ':' + i.src.slice(-24)).join('|'); }"""


async def _move_sliders(ws: Any, send: Callable[..., Awaitable[dict]], shot: Path | None) -> list[str]:
    """Press an arrow key on each slider handle; one line per slider saying whether its picture changed."""
    count = await send("Runtime.evaluate", expression="document.querySelectorAll('.noUi-handle').length",
                       returnByValue=True)
    lines = []
    for i in range(int(count["result"]["value"])):
        handle = f"document.querySelectorAll('.noUi-handle')[{i}]"
        probe = await send("Runtime.evaluate", returnByValue=True, expression=(
            f"(() => {{ const h = {handle}; h.scrollIntoView({{block: 'center'}}); h.focus();"
            f" return [({_VISIBLE})(h), h.getAttribute('aria-valuenow') === h.getAttribute('aria-valuemax')]; }})()"))
        before, at_end = probe["result"]["value"]
        key = ("ArrowLeft", 37) if at_end else ("ArrowRight", 39)
        for kind in ("keyDown", "keyUp"):
            await send("Input.dispatchKeyEvent", type=kind, key=key[0], code=key[0], windowsVirtualKeyCode=key[1])
        await asyncio.sleep(0.4)
        after = (await send("Runtime.evaluate", returnByValue=True,
                            expression=f"({_VISIBLE})({handle})"))["result"]["value"]
        lines.append(f"slider {i + 1}: {key[0]} {'moved the picture' if after != before and after else 'CHANGED NOTHING'}")
    lines += await _press_pickers(send)
    lines += await _pick_menus(send)
    if shot is not None:
        data = await send("Page.captureScreenshot", format="png")
        shot.write_bytes(base64.b64decode(data["data"]))
    return lines


async def _choose(send: Callable[..., Awaitable[dict]], selector: str, act: str, noun: str) -> list[str]:
    """For each element matching ``selector``: note the pictures beside it, run ``act`` (a JavaScript function
    of the element that makes a choice and returns its label, or null when there is nothing to choose), wait,
    and say in one line whether the pictures changed."""
    count = await send("Runtime.evaluate", expression=f"document.querySelectorAll({selector!r}).length",
                       returnByValue=True)
    lines = []
    for i in range(int(count["result"]["value"])):
        element = f"document.querySelectorAll({selector!r})[{i}]"
        probe = await send("Runtime.evaluate", returnByValue=True, expression=(
            f"(() => {{ const e = {element}; e.scrollIntoView({{block: 'center'}}); const before = ({_VISIBLE})(e);"
            f" const label = ({act})(e); return label === null ? null : [before, label]; }})()"))
        if probe["result"].get("value") is None:
            lines.append(f"{noun} {i + 1}: has nothing to choose: CHANGED NOTHING")
            continue
        before, label = probe["result"]["value"]
        await asyncio.sleep(0.4)
        after = (await send("Runtime.evaluate", returnByValue=True,
                            expression=f"({_VISIBLE})({element})"))["result"]["value"]
        lines.append(f"{noun} {i + 1}: chose {label.strip()!r}, "
                     f"{'changed the picture' if after != before and after else 'CHANGED NOTHING'}")
    return lines


async def _press_pickers(send: Callable[..., Awaitable[dict]]) -> list[str]:
    """Click the first unchosen button of each picker (a row of toggle buttons)."""
    return await _choose(send, ".widget-toggle-buttons", (
        "g => { const b = [...g.querySelectorAll('button')].find(b => !b.classList.contains('mod-active'));"
        " if (!b) return null; b.click(); return b.textContent; }"), "picker")


async def _pick_menus(send: Callable[..., Awaitable[dict]]) -> list[str]:
    """Choose the next option of each drop-down menu, as a reader's choice would (the select changes and
    says so)."""
    return await _choose(send, ".widget-dropdown select", (
        "m => { m.selectedIndex = (m.selectedIndex + 1) % m.options.length;"
        " m.dispatchEvent(new Event('change', {bubbles: true})); return m.value; }"), "menu")


async def _page_problems(ws_url: str, url: str, settle: float, sliders: bool = False,
                         shot: Path | None = None) -> list[str]:
    ws = await websocket_connect(ws_url, max_message_size=1 << 28)
    problems: list[str] = []
    ids = iter(range(1, 1 << 30))

    async def send(method: str, **params: object) -> None:
        await ws.write_message(json.dumps({"id": next(ids), "method": method, "params": params}))

    async def call(method: str, **params: object) -> dict:
        """Send a command and wait for its reply (events that arrive meanwhile are dropped)."""
        n = next(ids)
        await ws.write_message(json.dumps({"id": n, "method": method, "params": params}))
        while True:
            msg = json.loads(await ws.read_message())
            if msg.get("id") == n:
                return msg.get("result", {})

    for domain in ("Runtime", "Log", "Network", "Page"):
        await send(f"{domain}.enable")
    await send("Page.navigate", url=url)
    loaded_at = None
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and (loaded_at is None or time.monotonic() < loaded_at + settle):
        try:
            raw = await asyncio.wait_for(ws.read_message(), timeout=0.5)
        except asyncio.TimeoutError:
            continue
        if raw is None:
            break
        msg = json.loads(raw)
        method, p = msg.get("method"), msg.get("params", {})
        if method == "Page.loadEventFired":
            loaded_at = time.monotonic()
        elif method == "Runtime.exceptionThrown":
            d = p["exceptionDetails"]
            problems.append(f"exception: {d.get('exception', {}).get('description', d.get('text'))}".splitlines()[0])
        elif method == "Runtime.consoleAPICalled" and p["type"] in ("error", "assert"):
            text = " ".join(str(a.get("value", a.get("description", ""))) for a in p["args"])
            problems.append(f"console.{p['type']}: {text}".splitlines()[0])
        elif method == "Log.entryAdded" and p["entry"]["level"] == "error":
            problems.append(f"log: {p['entry']['text']} {p['entry'].get('url', '')}".strip())
        elif method == "Network.loadingFailed":
            problems.append(f"request failed: {p.get('errorText')} (request {p['requestId']})")
        elif method == "Network.responseReceived" and p["response"]["status"] >= 400:
            problems.append(f"HTTP {p['response']['status']}: {p['response']['url']}")
    if sliders:
        problems = await _move_sliders(ws, call, shot)
    ws.close()
    return problems


def check(root: str | Path, pages: list[str] | None = None, settle: float = 3.0, sliders: bool = False,
          shots: Path | None = None) -> dict[str, list[str]]:
    """``{page: [problem, ...]}`` for each page (default: every .html under ``root``); with ``sliders``,
    ``{page: [one line per slider]}`` instead (see the module's docstring)."""
    root = Path(root)
    exe = browser()
    if exe is None:
        raise RuntimeError("no Chromium on this machine: apt-get install chromium")
    pages = pages or sorted(str(p.relative_to(root)) for p in root.rglob("*.html")
                            if "_static" not in p.parts and "_sources" not in p.parts)
    server = Server(root)
    port = _free_port()
    with tempfile.TemporaryDirectory(ignore_cleanup_errors=True) as profile:  # Chromium may still be writing
        proc = subprocess.Popen([exe, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                                 "--no-first-run", f"--remote-debugging-port={port}", f"--user-data-dir={profile}",
                                 "about:blank"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            targets = None
            for _ in range(100):
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=1) as r:
                        targets = [t for t in json.load(r) if t["type"] == "page"]
                    if targets:
                        break
                except OSError:
                    pass
                time.sleep(0.1)
            if not targets:
                raise RuntimeError("Chromium did not open its debugging port")
            ws_url = targets[0]["webSocketDebuggerUrl"]
            shot = (lambda page: shots / (Path(page).stem + ".png")) if shots else (lambda page: None)
            return {page: asyncio.run(_page_problems(ws_url, f"{server.url}/{page}", settle, sliders, shot(page)))
                    for page in pages}
        finally:
            proc.terminate()
            proc.wait(timeout=10)
            server.close()


def main(argv: list[str]) -> int:
    sliders = "--sliders" in argv
    shots = None
    if "--shots" in argv:
        at = argv.index("--shots")
        shots = Path(argv[at + 1])
        shots.mkdir(parents=True, exist_ok=True)
        argv = argv[:at] + argv[at + 2:]
    argv = [a for a in argv if a != "--sliders"]
    results = check(argv[0], argv[1:] or None, sliders=sliders, shots=shots)
    for page, lines in results.items():
        print(f"{page}: {len(lines)} {'control(s)' if sliders else 'problem(s)'}")
        for line in lines:
            print(f"    {line}")
    if sliders:
        return 1 if any("CHANGED NOTHING" in line for lines in results.values() for line in lines) else 0
    return 1 if any(results.values()) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
