"""A fake OpenAI-compatible server for tests of what a real one cannot do on demand.

The behaviour is chosen by the URL: POST /MODE/v1/chat/completions, where MODE is one of
  ok             answer "echo: <last user message>" (streams when asked)
  slow-<ms>      the same after a fixed latency
  status-<code>  answer that HTTP status with a JSON error body
  garbled        200 with a body that is not JSON
  truncated      200 SSE stream cut off before [DONE] (or a cut JSON body when not streaming)
  hang           never answer (until the client gives up)
  reset          close the connection without answering
GET /stats returns {"requests": n, "max_in_flight": m}; POST /reset-stats zeroes them.
Prints "PORT <n>" on stdout once listening on 127.0.0.1. Exits when stdin closes.
"""
import json
import os
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

lock = threading.Lock()
stats = {"requests": 0, "in_flight": 0, "max_in_flight": 0}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True

    def log_message(self, *args):
        pass

    def send_json(self, code, obj):
        body = json.dumps(obj).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        if self.path == "/stats":
            with lock:
                self.send_json(200, {"requests": stats["requests"], "max_in_flight": stats["max_in_flight"]})
        else:
            self.send_json(200, {"status": "ok"})

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length)
        if self.path == "/reset-stats":
            with lock:
                stats.update(requests=0, in_flight=0, max_in_flight=0)
            return self.send_json(200, {})
        with lock:
            stats["requests"] += 1
            stats["in_flight"] += 1
            stats["max_in_flight"] = max(stats["max_in_flight"], stats["in_flight"])
        try:
            self.answer(raw)
        finally:
            with lock:
                stats["in_flight"] -= 1

    def answer(self, raw):
        mode = self.path.strip("/").split("/")[0]
        try:
            req = json.loads(raw)
        except Exception:
            return self.send_json(400, {"error": {"message": "bad json"}})
        last = next((m["content"] for m in reversed(req.get("messages", [])) if m["role"] == "user"), "")
        text = "echo: " + last
        stream = bool(req.get("stream"))
        if mode.startswith("slow-"):
            time.sleep(int(mode[5:]) / 1000)
        elif mode.startswith("status-"):
            code = int(mode[7:])
            return self.send_json(code, {"error": {"message": f"fake status {code}"}})
        elif mode == "garbled":
            body = b"<html>upstream error</html>"
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            return self.wfile.write(body)
        elif mode == "hang":
            time.sleep(30)
            return
        elif mode == "reset":
            self.close_connection = True
            self.connection.shutdown(2)
            return
        usage = {"prompt_tokens": len(last.split()), "completion_tokens": len(text.split())}
        if stream:
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Connection", "close")
            self.end_headers()
            words = text.split(" ")
            for i, w in enumerate(words):
                piece = w if i == 0 else " " + w
                chunk = {"choices": [{"index": 0, "delta": {"content": piece}, "finish_reason": None}]}
                self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
                self.wfile.flush()
                if mode == "truncated" and i >= 1:
                    self.close_connection = True
                    return
            end = {"choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}], "usage": usage}
            self.wfile.write(f"data: {json.dumps(end)}\n\ndata: [DONE]\n\n".encode())
            self.close_connection = True
            return
        body = {"choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
                "usage": usage, "model": req.get("model")}
        data = json.dumps(body).encode()
        if mode == "truncated":
            self.send_response(200)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data[: len(data) // 2])
            self.close_connection = True
            return
        self.send_json(200, body)


class Server(ThreadingHTTPServer):
    # The listen backlog is set in the constructor: it must be a class attribute. With the default
    # of 5, a burst of connections loses SYNs and waits a second for the retransmit.
    request_queue_size = 512
    daemon_threads = True


def main():
    server = Server(("127.0.0.1", 0), Handler)
    print("PORT", server.server_address[1], flush=True)

    def watch():
        while sys.stdin.buffer.read(1):
            pass
        os._exit(0)

    threading.Thread(target=watch, daemon=True).start()
    server.serve_forever()


if __name__ == "__main__":
    main()
