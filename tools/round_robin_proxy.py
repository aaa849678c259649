"""A tiny round-robin HTTP reverse proxy, for drills only (tools/scale_drill.py): each request
goes to the next backend, so consecutive requests of one browser land on different processes.

It says which backend answered in an `X-Backend` header. Production uses a real proxy (nginx,
Caddy, HAProxy); this one has no TLS, no keep-alive to clients and no retries.

    .venv/bin/python -m tools.round_robin_proxy --port 8080 127.0.0.1:8001 127.0.0.1:8002
"""

import argparse
import http.client
import itertools
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# Hop-by-hop headers (RFC 9110, 7.6.1) belong to one connection and are not passed on.
HOP_BY_HOP = {
    "connection",
    "keep-alive",
    "proxy-authenticate",
    "proxy-authorization",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
}


class RoundRobinProxy(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, port: int, backends: list[str]) -> None:
        super().__init__(("127.0.0.1", port), _Handler)
        self.backends = backends
        self._next = itertools.cycle(range(len(backends)))
        self._lock = threading.Lock()

    def next_backend(self) -> tuple[int, str]:
        with self._lock:
            index = next(self._next)
        return index, self.backends[index]

    def start(self) -> threading.Thread:
        thread = threading.Thread(target=self.serve_forever, daemon=True)
        thread.start()
        return thread


class _Handler(BaseHTTPRequestHandler):
    server: RoundRobinProxy
    protocol_version = "HTTP/1.0"

    def _forward(self) -> None:
        index, backend = self.server.next_backend()
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
        headers["X-Forwarded-For"] = self.client_address[0]
        upstream = http.client.HTTPConnection(backend, timeout=30)
        try:
            upstream.request(self.command, self.path, body=body, headers=headers)
            response = upstream.getresponse()
            payload = response.read()
        except OSError as error:
            self.send_error(502, f"backend {backend}: {error}")
            return
        finally:
            upstream.close()
        self.send_response_only(response.status, response.reason)
        for name, value in response.getheaders():  # Set-Cookie may come several times
            if name.lower() not in HOP_BY_HOP and name.lower() != "content-length":
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        self.send_header("X-Backend", str(index + 1))
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_POST = do_HEAD = _forward  # noqa: N815 (http.server's naming)

    def log_message(self, format: str, *args: object) -> None:
        pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("backends", nargs="+", help="host:port of each web process")
    arguments = parser.parse_args()
    proxy = RoundRobinProxy(arguments.port, arguments.backends)
    print(f"http://127.0.0.1:{arguments.port}/ -> {', '.join(arguments.backends)}")
    proxy.serve_forever()


if __name__ == "__main__":
    main()
