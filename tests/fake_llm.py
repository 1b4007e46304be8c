#!/usr/bin/env python3
"""A fake OpenAI-compatible Chat Completions server for precis's tests.

Standard library only. Serves GET /v1/models and POST /v1/chat/completions
(streamed as SSE or as one JSON answer) on 127.0.0.1, on a free port that it
writes to --port-file. Every request is appended to --log as one JSON line
(method, path, headers, body, and what kind of precis request it was).

What it answers is scripted by --script FILE (JSON, re-read when it
changes):

    {"default": STEP,                 # for requests no rule below takes
     "queue": [STEP, ...],            # taken in order by chat requests
     "by_kind": {"notes": [STEP...]}, # taken in order by that kind first
     "models": ["fake-model"],        # what GET /models lists
     "require_key": "sk-..."}         # 401 unless this Bearer key is sent

A STEP is an object:
    fault:    ok | status | context | cut | silence | headers_then_silence |
              keepalive_only | midstream_error | badjson | empty | nomermaid |
              badmermaid | length | close
    status, message, retry_after      (fault "status")
    flavor:   openai | deepseek | ollama | llamacpp | openrouter
    delay:    seconds before the first byte
    rate:     answer pieces (about one token each) per second; 0: all at once
    tokens:   pieces in a notes answer (default 40)
    crlf:     true to end lines with CRLF
    split:    true to write each event in small pieces
    hold:     seconds a silent connection is kept open (default 30)
    answer:   the answer text itself
    title:    the title line of a summary answer (default 假模型的标题)
    insert:   text put into the answer right after its first line (a NUL,
              control characters, …)
    filler_bytes, piece_bytes: that many bytes of filler after the answer,
              in events of piece_bytes each (a server ignoring max_tokens)
    choices:  stream that many choices interleaved (as a request's "n" > 1
              does; choice 0 is the answer, the others differ)
    refusal:  answer with this refusal instead of content (OpenAI)
    sse_file: send this file (a recorded stream) as the streamed answer

With --answers FILE, each streamed answer that ends normally appends a
line {kind, pieces, start, end} (the model's time, for make bench).

Kinds (from the prompt): summary, notes, collapse, reduce, repair, ping, other.
"""
import argparse
import json
import os
import random
import socket
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LOCK = threading.Lock()
STATE = {"script": {}, "mtime": None, "queue_pos": 0, "kind_pos": {}, "count": 0}
ARGS = None

MAP = """<Mermaid_Diagram>
graph TD
    A["算力"] --> B["模型"]
    B -- "推动" --> C["应用"]
    subgraph S["生态"]
        C --> D["用户"]
    end
</Mermaid_Diagram>"""

BAD_MAP = """<Mermaid_Diagram>
graph TD
    A["算力"] --> B["模型"]
    this is (( not a mermaid line
</Mermaid_Diagram>"""


def summary_text(mermaid=MAP, title="假模型的标题"):
    return ("Title: " + title + "\n\n"
            "**核心观点总结 (Structured Outline)**\n\n"
            "1.  **第一部分:**\n    *   算力决定了模型的上限。\n    *   应用推动了需求。\n"
            "2.  **第二部分:**\n    *   用户最终受益。\n\n"
            "**核心主旨 (Core Point)**\n\n算力、模型与应用互相推动。\n\n"
            "**总体框架 (Overarching Framework)**\n\n从基础设施到用户的一条链。\n\n"
            "**Mermaid 概念图 (Mermaid Conceptual Map)**\n\n" + mermaid + "\n")


def notes_text(n, tag):
    parts = ["- 要点%s：算力与模型的关系，第%d条。" % (tag, i + 1) for i in range(max(1, n // 12))]
    return "\n".join(parts)


def load_script():
    path = ARGS.script
    if not path or not os.path.exists(path):
        return
    m = os.stat(path).st_mtime_ns
    if m != STATE["mtime"]:
        with open(path, encoding="utf-8") as f:
            txt = f.read()
        STATE["script"] = json.loads(txt) if txt.strip() else {}
        STATE["mtime"] = m
        STATE["queue_pos"] = 0
        STATE["kind_pos"] = {}


def kind_of(body):
    try:
        msgs = body.get("messages") or []
        user = "\n".join(m.get("content", "") for m in msgs if m.get("role") == "user")
    except AttributeError:
        return "other"
    if "<answer>" in user:
        return "repair"
    if "<transcript_part>" in user:
        return "notes"
    if "<notes>" in user and "<Mermaid_Diagram>" in user:
        return "reduce"
    if "<notes>" in user:
        return "collapse"
    if "<Mermaid_Diagram>" in user:
        return "summary"
    if "Reply with the single word" in user:
        return "ping"
    return "other"


def next_step(kind):
    with LOCK:
        load_script()
        sc = STATE["script"]
        bk = (sc.get("by_kind") or {}).get(kind)
        if bk:
            i = STATE["kind_pos"].get(kind, 0)
            if i < len(bk):
                STATE["kind_pos"][kind] = i + 1
                return dict(bk[i])
        q = sc.get("queue") or []
        if STATE["queue_pos"] < len(q):
            STATE["queue_pos"] += 1
            return dict(q[STATE["queue_pos"] - 1])
        return dict(sc.get("default") or {})


def pieces(text):
    """The answer cut into token-like pieces (never inside a character)."""
    out, cur = [], ""
    for ch in text:
        cur += ch
        if len(cur) >= (2 if ord(ch) > 0x2e80 else 4) or ch == "\n":
            out.append(cur)
            cur = ""
    if cur:
        out.append(cur)
    return out


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):  # quiet
        pass

    def record(self, body, kind, raw_len):
        entry = {"t": time.time(), "method": self.command, "path": self.path,
                 "headers": {k: v for k, v in self.headers.items()},
                 "kind": kind, "body": body, "bytes": raw_len}
        with LOCK:
            STATE["count"] += 1
            with open(ARGS.log, "a", encoding="utf-8") as f:
                f.write(json.dumps(entry, ensure_ascii=False) + "\n")

    def send_json(self, status, obj, extra=None):
        data = json.dumps(obj, ensure_ascii=False).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def authorized(self):
        need = STATE["script"].get("require_key")
        if not need:
            return True
        got = self.headers.get("Authorization", "")
        if got == "Bearer " + need:
            return True
        self.send_json(401, {"error": {"message": "Incorrect API key provided: %s" %
                                       (got[7:] if got.startswith("Bearer ") else "(none)"),
                                       "type": "invalid_request_error", "code": "invalid_api_key"}})
        return False

    def do_GET(self):
        path = self.path.split("://", 1)[-1]
        path = path[path.find("/"):] if "://" in self.path else self.path
        path = path.split("?", 1)[0]
        self.record(None, "models", 0)
        with LOCK:
            load_script()
        if not self.authorized():
            return
        if path.rstrip("/").endswith("/models"):
            models = STATE["script"].get("models", ["fake-model"])
            self.send_json(200, {"object": "list", "data": [
                {"id": m, "object": "model", "created": 1735000000, "owned_by": "fake"} for m in models]})
        else:
            self.send_json(404, {"error": {"message": "no route " + path}})

    def do_POST(self):
        n = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(n) if n else b""
        try:
            body = json.loads(raw.decode("utf-8"))
        except ValueError:
            body = {"_unparsed": raw.decode("utf-8", "replace")}
        kind = kind_of(body)
        self.record(body, kind, len(raw))
        with LOCK:
            load_script()
        if not self.authorized():
            return
        if not self.path.split("?", 1)[0].rstrip("/").endswith("/chat/completions"):
            self.send_json(404, {"error": {"message": "no route " + self.path}})
            return
        step = next_step(kind)
        try:
            self.answer(body, kind, step)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def answer(self, body, kind, step):
        fault = step.get("fault", "ok")
        model = body.get("model", "fake-model")
        t_start = time.time()
        if step.get("delay"):
            time.sleep(float(step["delay"]))
        if fault == "status":
            st = int(step.get("status", 500))
            extra = {}
            if step.get("retry_after") is not None:
                extra["Retry-After"] = str(step["retry_after"])
            msg = step.get("message", "fake failure %d" % st)
            self.send_json(st, {"error": {"message": msg, "type": "fake", "code": st}}, extra)
            return
        if fault == "context":
            if step.get("flavor") == "llamacpp":
                self.send_json(400, {"error": {"code": 400, "message": "the request exceeds the available "
                                     "context size, try increasing it", "type": "exceed_context_size_error",
                                     "n_prompt_tokens": 9000, "n_ctx": 4096}})
            else:
                self.send_json(400, {"error": {"message": "This model's maximum context length is 4096 tokens. "
                                     "However, your messages resulted in 9000 tokens.",
                                     "type": "invalid_request_error", "param": "messages",
                                     "code": "context_length_exceeded"}})
            return
        if fault == "silence":
            time.sleep(float(step.get("hold", 30)))
            self.close_connection = True
            return
        if fault == "close":
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        if fault == "badjson" and not body.get("stream"):
            data = b'{"choices": [ this is not json'
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
            return

        # the answer text
        if "answer" in step:
            text = step["answer"]
        elif fault == "empty":
            text = ""
        elif kind in ("summary", "reduce", "repair"):
            text = summary_text(BAD_MAP if fault == "badmermaid" else
                                "" if fault == "nomermaid" else MAP,
                                step.get("title", "假模型的标题"))
        elif kind == "notes":
            text = notes_text(int(step.get("tokens", 40)), "")
        elif kind == "collapse":
            text = notes_text(int(step.get("tokens", 40)), "合")
        elif kind == "ping":
            text = "ok"
        else:
            text = "fake answer"
        if step.get("insert") and text:
            nl = text.find("\n")
            nl = len(text) if nl < 0 else nl
            text = text[:nl + 1] + step["insert"] + text[nl + 1:]
        flavor = step.get("flavor", "openai")
        if flavor == "ollama" and text:
            text = "<think>\nLet me think about it.\n</think>\n\n" + text
        if flavor == "llamacpp" and text:
            text = "The user wants a summary; I will write it.</think>\n\n" + text
        ps = pieces(text)
        finish = "length" if fault == "length" else "stop"
        usage = {"prompt_tokens": sum(len(m.get("content", "")) for m in body.get("messages", [])) // 2,
                 "completion_tokens": len(ps)}
        usage["total_tokens"] = usage["prompt_tokens"] + usage["completion_tokens"]

        if not body.get("stream"):
            msg = {"role": "assistant", "content": text}
            if flavor == "deepseek":
                msg["reasoning_content"] = "嗯，我想一想。"
            self.send_json(200, {"id": "chatcmpl-fake", "object": "chat.completion", "created": int(time.time()),
                                 "model": model, "choices": [{"index": 0, "message": msg,
                                                              "finish_reason": finish}],
                                 "usage": usage})
            return

        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        eol = "\r\n" if step.get("crlf") else "\n"
        rate = float(step.get("rate", 0))
        if step.get("sse_file"):
            with open(step["sse_file"], "rb") as f:
                self.wfile.write(f.read())
            self.wfile.flush()
            return
        nchoices = int(step.get("choices") or body.get("n") or 1)

        def write(s):
            data = s.encode("utf-8")
            if step.get("split"):
                i = 0
                while i < len(data):
                    k = random.randint(1, 7)
                    self.wfile.write(data[i:i + k])
                    self.wfile.flush()
                    i += k
            else:
                self.wfile.write(data)
                self.wfile.flush()

        def event(obj):
            write("data: " + json.dumps(obj, ensure_ascii=False) + eol + eol)

        def chunk(delta, fr=None, extra=None):
            c = {"id": "chatcmpl-fake", "object": "chat.completion.chunk", "created": int(time.time()),
                 "model": model, "choices": [{"index": 0, "delta": delta, "finish_reason": fr}]}
            if extra:
                c.update(extra)
            return c

        if fault == "headers_then_silence":
            time.sleep(float(step.get("hold", 30)))
            return
        if fault == "keepalive_only":
            end = time.time() + float(step.get("hold", 30))
            while time.time() < end:
                write(": keep-alive" + eol + eol)
                time.sleep(0.2)
            return
        if fault == "badjson":
            write("data: {\"choices\": [ not json" + eol + eol)
            return
        if flavor == "openrouter":
            write(": OPENROUTER PROCESSING" + eol + eol)
        if flavor == "deepseek":
            write(": keep-alive" + eol + eol)
        event(chunk({"role": "assistant", "content": None if flavor in ("deepseek", "llamacpp") else ""}))
        if flavor == "deepseek":
            for r in ["嗯，", "用户要", "总结。"]:
                event(chunk({"content": None, "reasoning_content": r}))
        if flavor == "openrouter":
            event(chunk({"content": "", "reasoning": "Thinking about it."}))
        if step.get("refusal"):
            event(chunk({"role": "assistant", "content": None, "refusal": ""}))
            for p in pieces(step["refusal"]):
                event(chunk({"refusal": p}))
            event(chunk({}, "stop"))
            write("data: [DONE]" + eol + eol)
            return
        if nchoices > 1:
            # several choices, their chunks interleaved (OpenAI with n > 1)
            others = [pieces("Choice %d says something else entirely.\n" % k) for k in range(1, nchoices)]
            for i in range(max([len(ps)] + [len(o) for o in others])):
                if i < len(ps):
                    event(chunk({"content": ps[i]}))
                for k, o in enumerate(others):
                    if i < len(o):
                        c = chunk({"content": o[i]})
                        c["choices"][0]["index"] = k + 1
                        event(c)
            for k in range(nchoices):
                c = chunk({}, finish)
                c["choices"][0]["index"] = k
                event(c)
            write("data: [DONE]" + eol + eol)
            return
        cut_at = len(ps) // 2 if fault in ("cut", "midstream_error") else None
        for i, p in enumerate(ps):
            if cut_at is not None and i == cut_at:
                if fault == "midstream_error":
                    event({"id": "chatcmpl-fake", "object": "chat.completion.chunk", "model": model,
                           "error": {"code": "server_error", "message": "Provider disconnected unexpectedly"},
                           "choices": [{"index": 0, "delta": {"content": ""}, "finish_reason": "error"}]})
                self.connection.shutdown(socket.SHUT_RDWR)
                return
            if flavor == "openrouter" and i % 5 == 4:
                write(": OPENROUTER PROCESSING" + eol + eol)
            event(chunk({"content": p}))
            if rate > 0:
                time.sleep(1.0 / rate)
        filler = int(step.get("filler_bytes", 0))
        if filler:
            k = int(step.get("piece_bytes", 1000))
            piece = ("filler " * (k // 7 + 1))[:k]
            sent = 0
            try:
                while sent < filler:
                    event(chunk({"content": piece}))
                    sent += k
            except (BrokenPipeError, ConnectionResetError):
                return
        if flavor == "llamacpp":
            event(chunk({}, finish, {"usage": usage, "timings": {"predicted_n": len(ps)}}))
        elif flavor == "deepseek":
            event(chunk({"content": ""}, finish, {"usage": usage}))
        else:
            event(chunk({}, finish))
            if body.get("stream_options", {}).get("include_usage"):
                c = chunk({})
                c["choices"] = []
                c["usage"] = usage
                event(c)
        write("data: [DONE]" + eol + eol)
        if ARGS.answers:
            with LOCK:
                with open(ARGS.answers, "a", encoding="utf-8") as f:
                    f.write(json.dumps({"kind": kind, "pieces": len(ps), "start": t_start,
                                        "end": time.time()}) + "\n")


def main():
    global ARGS
    ap = argparse.ArgumentParser()
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--log", required=True)
    ap.add_argument("--script")
    ap.add_argument("--answers")
    ARGS = ap.parse_args()
    srv = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    srv.daemon_threads = True
    tmp = ARGS.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write(str(srv.server_address[1]))
    os.rename(tmp, ARGS.port_file)
    try:
        srv.serve_forever(poll_interval=0.1)
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
