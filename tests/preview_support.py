"""Web sites of the tests' own (the edge of the world) that link previews are fetched from."""

from __future__ import annotations

import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# The shared server may fetch link previews from this loopback address alone
# (`ZWITSCHER_PREVIEW_ALLOW_PRIVATE_ADDRESSES`); the rest of its own network stays refused.
SHARED_PREVIEW_ADDRESS = "127.0.0.3"


def html_page(title: str, *, description: str = "", image: str = "", head: str = "") -> bytes:
    tags = [f'<meta property="og:title" content="{title}">',
            f'<meta property="og:description" content="{description}">' if description else "",
            f'<meta property="og:image" content="{image}">' if image else "",
            '<meta property="og:site_name" content="Werkszeitung">', head]
    return (f'<!doctype html><html lang="de"><head><meta charset="utf-8">'
            f'<title>{title} – Werkszeitung</title>{"".join(tags)}</head>'
            f"<body><p>{description}</p></body></html>").encode()


class Site:
    """A web site on one loopback address: what it serves, and what it was asked."""

    def __init__(self, host: str) -> None:
        self.hits: Counter[str] = Counter()
        self.agents: list[str] = []
        self.gave_up = threading.Event()  # a client stopped waiting for the slow page
        self.let_go = threading.Event()  # slow pages end now (and are quick from now on)
        self.trickling = 0  # slow pages being sent right now
        self._lock = threading.Lock()
        self.routes: dict[str, tuple[int, dict[str, str], bytes]] = {}
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                path = self.path.split("?", 1)[0]
                site.hits[path] += 1
                site.agents.append(self.headers.get("User-Agent", ""))
                if path == "/slow":
                    return site.trickle(self)
                status, headers, body = site.routes.get(path, (404, {}, b""))
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer((host, 0), Handler)
        self.port = self.httpd.server_address[1]
        self.url = f"http://{host}:{self.port}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def serve(self, path: str, body: bytes, content_type: str = "text/html; charset=utf-8",
              status: int = 200, **headers: str) -> str:
        self.routes[path] = (status, {"Content-Type": content_type, **headers}, body)
        return self.url + path

    def redirect(self, path: str, to: str, status: int = 302) -> str:
        return self.serve(path, b"", status=status, Location=to)

    def trickle(self, handler: BaseHTTPRequestHandler) -> None:
        """A page that never ends: a byte now and then, for up to a minute (or `let_go`)."""
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html")
        handler.end_headers()
        with self._lock:
            self.trickling += 1
        try:
            handler.wfile.write(b"<html><head><title>Langsam</title>")
            for _ in range(600):
                if self.let_go.wait(0.1):
                    break
                handler.wfile.write(b" ")
                handler.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            self.gave_up.set()
        finally:
            with self._lock:
                self.trickling -= 1

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
