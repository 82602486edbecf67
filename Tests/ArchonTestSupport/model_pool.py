"""A simulated model pool: an OpenAI-compatible server whose models answer a gold-answer dataset
correctly with known, per-model probabilities, so that every configuration of a search space has a
score that does not depend on chance or on a model's words.

Items: `python3 model_pool.py --write-dataset FILE N` writes N items {"id": "p000", "question":
"Pool question 0: …", "answer": "1000"}; item i's gold answer is 1000 + i.

Serving: `python3 model_pool.py CONFIG.json` prints "PORT <n>" and serves POST /v1/chat/completions
until stdin closes. CONFIG: {"models": {"m1": 0.6, …}, "latency_ms": 0} — the request's "model" picks the skill p.
Every decision is a hash of (model, role, item, seed, prompt) mapped to [0, 1): deterministic per
item and seed, independent between models. The rules:
  generator  correct with probability p; a wrong answer is gold + 1, 2 or 3
  fuser      with c of n candidates correct: probability c/n + (1 − c/n)·0.8·p (+0.1 when the
             candidates carry critiques), at most 0.98; with none correct 0.2·p; a wrong fused
             answer repeats the commonest wrong candidate
  ranker     with probability p puts the correct candidates first, else keeps a seeded shuffle
  critic     one labelled "Strengths/Weaknesses" critique per candidate
  verifier   judges a candidate rightly with probability p
Answers are written as "The answer is \\boxed{N}." so the math scorer reads them.
GET /stats returns {"requests": n}.
"""
import hashlib
import json
import re
import sys
import os
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

CONFIG = {}
lock = threading.Lock()
stats = {"requests": 0}


def unit(*parts):
    h = hashlib.sha256("\x1f".join(str(p) for p in parts).encode()).digest()
    return int.from_bytes(h[:8], "big") / 2.0 ** 64


def gold(i):
    return 1000 + i


def answer(n):
    return f"The answer is \\boxed{{{n}}}."


def candidates(text):
    """(label, number) of each '[k] …' candidate in a prompt."""
    out = []
    for m in re.finditer(r"(?m)^\[(\d+)\]\s*(.*?)(?=^\[\d+\]|\Z)", text, re.S):
        nums = re.findall(r"\\boxed\{(\d+)\}", m.group(2))
        out.append((int(m.group(1)), int(nums[0]) if nums else None))
    return out


def reply(req):
    model = req.get("model", "")
    p = CONFIG["models"].get(model, 0.0)
    seed = req.get("seed", 0)
    messages = req.get("messages", [])
    system = next((m["content"] for m in messages if m.get("role") == "system"), "")
    user = "\n".join(m["content"] for m in messages if m.get("role") == "user")
    found = re.search(r"Pool question (\d+)", user)
    item = int(found.group(1)) if found else -1
    g = gold(item)
    digest = hashlib.sha256(user.encode()).hexdigest()[:16]
    if system.startswith("You are given a user's query and several candidate"):
        section = user.split("Candidate responses:", 1)[-1]
        cands = candidates(section)
        n = max(1, len(cands))
        c = sum(1 for _, v in cands if v == g)
        if c == 0:
            prob = 0.2 * p
        else:
            prob = c / n + (1 - c / n) * 0.8 * p + (0.1 if "Critique of" in section else 0)
        prob = min(prob, 0.98)
        if unit(model, "fuse", item, seed, digest) < prob:
            return answer(g)
        wrong = [v for _, v in cands if v is not None and v != g]
        return answer(max(set(wrong), key=wrong.count) if wrong else g + 1)
    if system.startswith("You rank responses"):
        section = user.split("Responses:", 1)[-1]
        cands = candidates(section)
        labels = [k for k, _ in cands]
        order = sorted(labels, key=lambda k: unit(model, "shuffle", item, seed, digest, k))
        if unit(model, "rank", item, seed, digest) < p:
            order = [k for k in order if dict(cands)[k] == g] + [k for k in order if dict(cands)[k] != g]
        return " > ".join(f"[{k}]" for k in order)
    if system.startswith("You review answers"):
        cands = candidates(user.split("brackets.", 1)[-1])
        return "\n\n".join(f"[{k}] Strengths: it gives a final answer.\nWeaknesses: none noted." for k, _ in cands)
    if system.startswith("You check whether a response"):
        cands = candidates(user)
        right = bool(cands) and cands[-1][1] == g
        judged = right if unit(model, "verify", item, seed, digest) < p else not right
        return "[Correct]" if judged else "[Incorrect]"
    if unit(model, "gen", item, seed) < p:
        return answer(g)
    return answer(g + 1 + int(unit(model, "wrong", item, seed) * 3))


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def send_json(self, obj):
        body = json.dumps(obj).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        with lock:
            self.send_json(dict(stats))

    def do_POST(self):
        req = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
        with lock:
            stats["requests"] += 1
        text = reply(req)
        if CONFIG.get("latency_ms"):
            time.sleep(CONFIG["latency_ms"] / 1000)
        self.send_json({"id": "pool", "object": "chat.completion", "model": req.get("model", ""),
                        "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
                        "usage": {"prompt_tokens": len(json.dumps(req.get("messages", []))) // 4, "completion_tokens": len(text) // 4}})


class Server(ThreadingHTTPServer):
    request_queue_size = 512
    daemon_threads = True


def main():
    if len(sys.argv) == 4 and sys.argv[1] == "--write-dataset":
        with open(sys.argv[2], "w") as f:
            for i in range(int(sys.argv[3])):
                f.write(json.dumps({"id": f"p{i:03d}", "question": f"Pool question {i}: what is item {i}'s number?", "answer": str(gold(i))}) + "\n")
        return
    CONFIG.update(json.load(open(sys.argv[1])))
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
