"""A fake OpenAI-compatible server for tests of what a real one cannot do on demand.

The behaviour is chosen by the URL: POST /MODE/v1/chat/completions, where MODE is one of
  ok             answer "echo: <last user message>" (streams when asked)
  slow-<ms>      the same after a fixed latency
  status-<code>  answer that HTTP status with a JSON error body
  garbled        200 with a body that is not JSON
  truncated      200 SSE stream cut off before [DONE] (or a cut JSON body when not streaming)
  hang           never answer (until the client gives up)
  reset          close the connection without answering
  flaky-<n>      HTTP 503 for the first n requests to this mode, then ok
  limited-<n>    HTTP 429 with "Retry-After: 1" for the first n requests to this mode, then ok
  counter        answer "echo: <message> #<n>", n counting this mode's requests (answers change)
  keyed          HTTP 401 unless the key (Authorization, x-api-key or x-goog-api-key) is "good-key"
  judge          a judge: answers in the verdict form the prompt asks for ([[7]], [[A]], [[A>B]], [[1]],
                 the option [[A]] when asked which option an answer chose);
                 other prompts get the echo
  judge-late     a judge that first answers without a verdict and gives it when asked again
  judge-never    a judge that never gives a verdict
The same modes answer the Anthropic Messages path (/MODE/v1/messages) and the Gemini path
(/MODE/v1beta/models/NAME:generateContent or :streamGenerateContent?alt=sse) in their own formats.
GET /stats returns {"requests": n, "max_in_flight": m}; GET /last returns the last request's path,
headers and JSON body; POST /reset-stats zeroes the counters.
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
per_mode = {}
last = {}


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
        elif self.path == "/last":
            with lock:
                self.send_json(200, last)
        else:
            self.send_json(200, {"status": "ok"})

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length)
        if self.path == "/reset-stats":
            with lock:
                stats.update(requests=0, in_flight=0, max_in_flight=0)
                per_mode.clear()
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
        api = "anthropic" if self.path.split("?")[0].endswith("/messages") else ("gemini" if "/v1beta/" in self.path else "openai")
        try:
            req = json.loads(raw)
        except Exception:
            return self.send_json(400, {"error": {"message": "bad json"}})
        with lock:
            last.clear()
            last.update(path=self.path, body=req, headers={k.lower(): v for k, v in self.headers.items()})
            seen = per_mode.get(mode, 0)
            per_mode[mode] = seen + 1
        if api == "gemini":
            user = [p["text"] for c in req.get("contents", []) if c.get("role") == "user" for p in c.get("parts", [])]
            question = user[-1] if user else ""
            stream = "streamGenerateContent" in self.path
        else:
            question = next((m["content"] for m in reversed(req.get("messages", [])) if m["role"] == "user"), "")
            stream = bool(req.get("stream"))
        text = "echo: " + question + (f" #{seen + 1}" if mode == "counter" else "")
        if mode.startswith("judge") and api == "openai":
            text = judge_reply(mode, req.get("messages", []), text)
        key = self.headers.get("x-api-key") or self.headers.get("x-goog-api-key") or \
            (self.headers.get("Authorization") or "").replace("Bearer ", "")
        if mode.startswith("flaky-") and seen < int(mode[6:]):
            return self.send_json(503, {"error": {"message": "try again"}})
        if mode.startswith("limited-") and seen < int(mode[8:]):
            body = json.dumps({"error": {"message": "rate limited"}}).encode()
            self.send_response(429)
            self.send_header("Retry-After", "1")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            return self.wfile.write(body)
        if mode == "leaky-401":
            return self.send_json(401, {"error": {"message": f"Incorrect API key provided: {key}"}})
        if mode.startswith("huge-"):
            text = "x" * (int(mode[5:]) << 20)
        if mode == "allpass":
            # A unit-test evaluator that passes every listed test ("1. …" lines after "Unit tests:").
            listed = question.split("Unit tests:")[-1]
            count = sum(1 for line in listed.splitlines() if line[:1].isdigit() and ". " in line[:5])
            text = "\n".join(f"Test {i + 1}: PASS" for i in range(count))
        if mode == "wrongtype":
            return self.send_json(200, {"id": "x", "object": "chat.completion", "choices": [{"index": 0, "message": {
                "role": "assistant", "content": 12345}, "finish_reason": "stop"}]})
        if mode == "keyed" and key != "good-key":
            return self.send_json(401, {"error": {"message": "bad key"}})
        if api == "anthropic":
            return self.anthropic(text, question, stream, mode)
        if api == "gemini":
            return self.gemini(text, question, stream, mode)
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
        usage = {"prompt_tokens": len(question.split()), "completion_tokens": len(text.split())}
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


def judge_reply(mode, messages, echo):
    """What a judge says: the verdict form is read from the prompt, as a real judge would."""
    prompt = "\n".join(m.get("content", "") for m in messages[:2])
    if "[[rating]]" in prompt:
        verdict = "Rating: [[7]]"
    elif "[[A>>B]]" in prompt:
        verdict = "My final verdict is [[A>B]]"
    elif "[[NONE]]" in prompt:
        verdict = "[[A]]"
    elif "[[A]]" in prompt:
        verdict = "[[A]]"
    elif "[[1]]" in prompt:
        verdict = "[[1]]"
    else:
        return echo
    asked_again = messages[-1].get("content", "").startswith("Your reply did not")
    if mode == "judge-never" or (mode == "judge-late" and not asked_again):
        return "Both answers have their merits; it is hard to say."
    return "The answer is reasonable. " + verdict


def _start_sse(self):
    self.send_response(200)
    self.send_header("Content-Type", "text/event-stream")
    self.send_header("Connection", "close")
    self.end_headers()


def _anthropic(self, text, question, stream, mode):
    usage_in, usage_out = len(question.split()), len(text.split())
    if not stream:
        return self.send_json(200, {"type": "message", "role": "assistant", "content": [{"type": "text", "text": text}],
                                    "stop_reason": "end_turn", "usage": {"input_tokens": usage_in, "output_tokens": usage_out}})
    _start_sse(self)
    events = [("message_start", {"type": "message_start", "message": {"usage": {"input_tokens": usage_in, "output_tokens": 1}}})]
    for i, w in enumerate(text.split(" ")):
        events.append(("content_block_delta", {"type": "content_block_delta", "index": 0,
                                               "delta": {"type": "text_delta", "text": w if i == 0 else " " + w}}))
    events.append(("message_delta", {"type": "message_delta", "delta": {"stop_reason": "end_turn"}, "usage": {"output_tokens": usage_out}}))
    events.append(("message_stop", {"type": "message_stop"}))
    if mode == "truncated":
        events = events[:3]
    for name, data in events:
        self.wfile.write(f"event: {name}\ndata: {json.dumps(data)}\n\n".encode())
    self.close_connection = True


def _gemini(self, text, question, stream, mode):
    usage = {"promptTokenCount": len(question.split()), "candidatesTokenCount": len(text.split())}
    if not stream:
        return self.send_json(200, {"candidates": [{"content": {"role": "model", "parts": [{"text": text}]}, "finishReason": "STOP"}],
                                    "usageMetadata": usage})
    _start_sse(self)
    words = text.split(" ")
    for i, w in enumerate(words):
        chunk = {"candidates": [{"content": {"role": "model", "parts": [{"text": w if i == 0 else " " + w}]}}]}
        if i == len(words) - 1:
            if mode == "truncated":
                break
            chunk["candidates"][0]["finishReason"] = "STOP"
            chunk["usageMetadata"] = usage
        self.wfile.write(f"data: {json.dumps(chunk)}\r\n\r\n".encode())
    self.close_connection = True


Handler.anthropic = _anthropic
Handler.gemini = _gemini


class Server(ThreadingHTTPServer):
    # The listen backlog is set in the constructor: it must be a class attribute. With the default
    # of 5, a burst of connections loses SYNs and waits a second for the retransmit.
    request_queue_size = 512
    daemon_threads = True

    def handle_error(self, request, client_address):
        # A client that gave up (a cancelled or killed test) is expected: no traceback for that.
        if isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            return
        super().handle_error(request, client_address)


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
