"""A webhook receiver for tests/test_webhooks.py, run as a process of its own: it listens on a
free local port (said in its first line, "listening on <port>"), verifies each message's
Standard Webhooks signature with the ``standardwebhooks`` library and the secret in
``--secret-file`` (read at each message: the endpoint's secret is known only once the endpoint
is registered), and appends what it received and verified to ``--results`` (one JSON line a
message) before it answers: 500 to the first ``--fail-first`` messages, 204 after."""
from __future__ import annotations

import argparse
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from standardwebhooks import Webhook, WebhookVerificationError


def handler(secret_file: Path, results: Path, fail_first: int):
    lock, seen = threading.Lock(), [0]

    class Receiver(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 (http.server's name)
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            with lock:
                seen[0] += 1
                number = seen[0]
                line = {"number": number, "verified": verified(secret_file, body, self.headers),
                        "id": self.headers.get("webhook-id"), "host": self.headers.get("Host"),
                        "path": self.path, "body": body.decode(errors="replace")}
                with results.open("a") as output:
                    output.write(json.dumps(line) + "\n")
            self.send_response(500 if number <= fail_first else 204)
            self.end_headers()

        def log_message(self, *args):
            pass

    return Receiver


def verified(secret_file: Path, body: bytes, headers) -> bool:
    if not secret_file.exists():
        return False
    try:
        Webhook(secret_file.read_text().strip()).verify(body, dict(headers.items()))
    except WebhookVerificationError:
        return False
    return True


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--secret-file", type=Path, required=True)
    parser.add_argument("--results", type=Path, required=True)
    parser.add_argument("--fail-first", type=int, default=0)
    options = parser.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler(
        options.secret_file, options.results, options.fail_first))
    print(f"listening on {server.server_address[1]}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
