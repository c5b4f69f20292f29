"""A stand-in OpenAI chat server on loopback, for the LLM judge tests.

``POST /v1/chat/completions`` answers a judge prompt (the text between ``___text_starts_here___`` and
``___text_ends_here___``) with ``{"category", "score", "reasoning"}``: the target category when the text
contains a word of ``TRIGGERS``, else the other category (both read from the prompt). Texts containing
"FLAKY" fail with HTTP 500 on their first two requests, "GARBLED" get a non-JSON answer first, and
"REJECT" always gets HTTP 400. Every request body is recorded.
"""

from __future__ import annotations

import json
import re
import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

TRIGGERS = ("hate", "awful", "refuse", "john@example.com")


class StandIn:
    def __init__(self) -> None:
        self.requests: list[dict] = []
        self.seen: Counter[str] = Counter()
        self.lock = threading.Lock()
        standin = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:  # quiet
                pass

            def do_POST(self) -> None:  # noqa: N802 - http.server's name
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                status, answer = standin.answer(self.path, body, self.headers.get("Authorization", ""))
                payload = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/v1"

    def __enter__(self) -> StandIn:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def answer(self, path: str, body: dict, authorization: str) -> tuple[int, dict]:
        if path != "/v1/chat/completions":
            return 404, {"error": {"message": f"no route {path}", "type": "not_found"}}
        prompt = body["messages"][-1]["content"]
        text = prompt.split("___text_starts_here___\n", 1)[1].split("\n___text_ends_here___", 1)[0]
        with self.lock:
            self.requests.append({**body, "authorization": authorization})
            self.seen[text] += 1
            attempt = self.seen[text]
        if "REJECT" in text:
            return 400, {"error": {"message": "bad request", "type": "invalid_request_error"}}
        if "FLAKY" in text and attempt <= 2:
            return 500, {"error": {"message": "try again", "type": "server_error"}}
        categories = re.search(r"as (\S+) or (\S+)\.", prompt)
        target, other = categories.group(1), categories.group(2)
        hit = any(t in text.lower() for t in TRIGGERS)
        content = json.dumps(
            {
                "category": target if hit else other,
                "score": 0.9 if hit else 0.1,
                "reasoning": f"{len(text)} characters",
            }
        )
        if "GARBLED" in text and attempt == 1:
            content = "I think it is fine"
        return 200, {
            "choices": [
                {"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}
            ]
        }
