"""The emulated service: a queue of async requests and a built-in demo model.

The demo model answers from the request's ``path`` (query string ignored):

==========================  ============================================================
``path``                    result
==========================  ============================================================
anything else (e.g. ``/``)  ``completed``, status_code 200, raw_output the JSON text of
                            ``{"echo": data, "method": method, "path": path}``
``/status/<code>``          2xx: ``completed`` with that code and the echo body;
                            otherwise ``failed`` with that code, raw_output
                            ``{"error": "<reason>", "status_code": <code>}`` and a
                            fail_reason
``/status/<code>/text``     like ``/status/<code>`` but raw_output is plain text (no
                            ``output`` field)
``/sleep/<seconds>``        runs that long (0 to 3600, may be fractional), then echoes
``/text``                   ``completed``, 200, raw_output plain text (no ``output``)
``/fail``                   ``failed``, fail_reason ``"internal error"``, no status_code,
                            no raw_output
``/large/<n>``              ``completed``, 200, raw_output ``{"blob": "aaa…"}`` with n
                            ``a`` (n up to 32 MiB)
``/unicode``                ``completed``, 200, non-ASCII JSON output
``/image``                  ``completed``, 200, a diffusion-style answer with two
                            generated PNG pictures (256×192): ``image`` is a
                            ``data:image/png;base64,…`` URL and ``images`` a list
                            holding the other one as bare base64; with
                            ``"steps": n`` in ``data`` it runs n × 0.1 s (at most
                            60 s), like a diffusion model
``/image/<w>x<h>``          the same at that size (each side 1 to 4096)
``/image/<w>x<h>/noise``    one picture of random pixels (incompressible: a large
                            output, e.g. ``/image/2240x2240/noise`` is ~20 MB of
                            base64), at most 24 MiB of pixels
``/llm``,                   ``completed``, 200, an LLM-style completion: ``choices[0].text``
``/v1/completions``         answers ``data["prompt"]``
``/v1/chat/completions``    ``completed``, 200, a chat completion:
                            ``choices[0].message.content`` answers the last
                            ``data["messages"]`` entry
``/big-array/<n>``          ``completed``, 200, ``{"count": n, "items": [{"i": 0,
                            "score": …}, …]}`` with n items (n up to 1 000 000)
==========================  ============================================================

The pictures are drawn and PNG-encoded here with ``zlib`` and ``struct``
(:func:`png_bytes`, :func:`demo_picture`, :func:`noise_picture`); the prompt
(``data["prompt"]``) picks their colours, so the same prompt gives the same
picture.

Timing is computed from timestamps when the request is created (no thread per
request): a request is ``pending`` for ``queue_delay`` seconds (longer when the
service is cold or all ``concurrency`` workers are busy), then ``in_progress``
for ``run_time`` seconds (or the ``/sleep`` time), then final.

Nothing here is thread-safe: the caller holds one lock around every call.
"""

from __future__ import annotations

import base64
import contextlib
import dataclasses
import hashlib
import heapq
import json
import math
import random
import string
import struct
import zlib
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any, Final, Literal

#: Alphabet and length of generated request ids (the API promises ``^[a-z0-9]{1,16}$``).
ID_ALPHABET: Final = string.ascii_lowercase + string.digits
ID_LENGTH: Final = 12
MAX_SLEEP: Final = 3600.0
MAX_LARGE: Final = 32 * 1024 * 1024
MAX_IMAGE_SIDE: Final = 4096
MAX_NOISE_PIXELS: Final = 24 * 1024 * 1024 // 3
MAX_BIG_ARRAY: Final = 1_000_000
#: ``/image`` runs this long per ``"steps"`` in data, at most ``MAX_STEPS_TIME``.
STEP_TIME: Final = 0.1
MAX_STEPS_TIME: Final = 60.0
PNG_MAGIC: Final = b"\x89PNG\r\n\x1a\n"


@dataclass(frozen=True)
class ModelResult:
    """What the user's service answered (or how it failed)."""

    status: Literal["completed", "failed"]
    status_code: int | None
    raw_output: str | None
    fail_reason: str | None = None
    run_time: float | None = None
    """Overrides the queue's ``run_time`` (``/sleep/<s>``)."""


def _reason(code: int) -> str:
    try:
        return HTTPStatus(code).phrase
    except ValueError:
        return "Unknown Status"


def _echo(data: Any, method: str, path: str) -> str:
    return json.dumps({"echo": data, "method": method, "path": path}, ensure_ascii=False)


def _by_status(code: int, data: Any, method: str, path: str, text: bool) -> ModelResult:
    if 200 <= code <= 299:
        raw = f"{code} {_reason(code)}" if text else _echo(data, method, path)
        return ModelResult("completed", code, raw)
    if text:
        raw = f"{code} {_reason(code)}\nThe demo service failed on purpose."
    else:
        raw = json.dumps({"error": _reason(code), "status_code": code})
    return ModelResult("failed", code, raw, f"service answered HTTP {code} {_reason(code)}")


# -- pictures -------------------------------------------------------------------

#: Dusk palettes: sky top, horizon glow, sun, sea, land.
_PALETTES: Final = (
    ((22, 30, 78), (250, 152, 92), (255, 226, 150), (24, 52, 96), (30, 28, 40)),
    ((46, 20, 84), (242, 110, 120), (255, 210, 170), (40, 30, 86), (26, 20, 36)),
    ((10, 60, 110), (255, 196, 110), (255, 244, 200), (12, 78, 110), (20, 40, 40)),
    ((70, 40, 90), (255, 170, 60), (255, 236, 170), (52, 44, 90), (34, 26, 30)),
)


def _chunk(kind: bytes, body: bytes) -> bytes:
    crc = zlib.crc32(kind + body)
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)


def png_bytes(width: int, height: int, rgb: bytes | bytearray, level: int = 6) -> bytes:
    """Encode ``width × height`` RGB pixels (rows top to bottom, 3 bytes each) as a PNG."""
    stride = width * 3
    if width < 1 or height < 1 or len(rgb) != stride * height:
        raise ValueError("rgb must hold width * height * 3 bytes")
    view = memoryview(rgb)
    raw = b"".join(b"\x00" + view[y * stride : (y + 1) * stride] for y in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB
    idat = zlib.compress(raw, level)
    return PNG_MAGIC + _chunk(b"IHDR", header) + _chunk(b"IDAT", idat) + _chunk(b"IEND", b"")


def _mix(a: tuple[int, int, int], b: tuple[int, int, int], t: float) -> bytes:
    return bytes(round(x + (y - x) * t) for x, y in zip(a, b, strict=True))


def demo_picture(width: int, height: int, seed: int = 0) -> bytes:
    """A PNG of a lighthouse at dusk: sky, sun, sea with its reflection; ``seed`` sets colours."""
    sky, glow, sun, sea, land = _PALETTES[seed % len(_PALETTES)]
    px = bytearray(width * height * 3)
    horizon = max(1, int(height * 0.62))
    sun_x = int(width * (0.55 + 0.25 * ((seed // 7) % 5) / 4))
    sun_r = max(1.0, min(width, height) * 0.09)
    sun_y = horizon - sun_r * 0.6
    tower_x, tower_w = int(width * 0.2), max(1, width // 22)
    tower_top = int(horizon - height * 0.34)
    band = max(1, (horizon - tower_top) // 6)

    def fill(y: int, x0: int, x1: int, color: bytes) -> None:
        x0, x1 = max(0, x0), min(width, x1)
        if x1 > x0:
            px[(y * width + x0) * 3 : (y * width + x1) * 3] = color * (x1 - x0)

    for y in range(height):
        if y < horizon:
            fill(y, 0, width, _mix(sky, glow, (y / horizon) ** 1.6))
            dy = y - sun_y
            if abs(dy) < sun_r:
                dx = int(math.sqrt(sun_r * sun_r - dy * dy))
                fill(y, sun_x - dx, sun_x + dx + 1, bytes(sun))
        else:
            depth = (y - horizon) / max(1, height - horizon)
            fill(y, 0, width, _mix(sea, (6, 10, 24), depth))
            if (y // max(1, height // 96)) % 2 == 0:  # the sun's shimmering reflection
                half = int(sun_r * (1.2 - 0.8 * depth) * (0.6 + 0.4 * math.sin(y * 0.9)))
                fill(y, sun_x - half, sun_x + half, _mix(glow, sun, 0.5 - 0.4 * depth))
        if y >= horizon - max(2, height // 40) and y < horizon + max(2, height // 30):
            fill(y, 0, int(width * 0.34), bytes(land))  # the headland
        if tower_top <= y < horizon:
            stripe = ((y - tower_top) // band) % 2
            fill(y, tower_x, tower_x + tower_w, b"\xc8\x28\x28" if stripe else b"\xf0\xf0\xf0")
        lamp = max(1, tower_w // 2)
        if tower_top - lamp <= y < tower_top:
            fill(y, tower_x, tower_x + tower_w, b"\xff\xe8\x80")
    return png_bytes(width, height, px)


def noise_picture(width: int, height: int, seed: int = 0) -> bytes:
    """A PNG of random pixels: incompressible, stored uncompressed (large outputs)."""
    rgb = random.Random(seed).randbytes(width * height * 3)
    return png_bytes(width, height, rgb, level=0)


def _seed_of(data: Any) -> int:
    prompt = data.get("prompt") if isinstance(data, dict) else None
    text = json.dumps(prompt if prompt is not None else data, sort_keys=True, default=str)
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:4], "big")


def _size(text: str) -> tuple[int, int] | None:
    w, sep, h = text.partition("x")
    if not (sep and w.isdigit() and h.isdigit()):
        return None
    return max(1, min(MAX_IMAGE_SIDE, int(w))), max(1, min(MAX_IMAGE_SIDE, int(h)))


def _image_answer(data: Any, width: int, height: int, noise: bool) -> ModelResult:
    seed = _seed_of(data)
    prompt = data.get("prompt") if isinstance(data, dict) else None
    answer: dict[str, Any] = {"model": "demo-diffusion", "prompt": prompt}
    answer.update(width=width, height=height)
    if noise:
        height = max(1, min(height, MAX_NOISE_PIXELS // width))
        answer["height"] = height
        answer["images"] = [base64.b64encode(noise_picture(width, height, seed)).decode()]
    else:
        first = base64.b64encode(demo_picture(width, height, seed)).decode()
        second = base64.b64encode(demo_picture(width, height, seed + 1)).decode()
        answer["image"] = "data:image/png;base64," + first
        answer["images"] = [second]
    steps = data.get("steps") if isinstance(data, dict) else None
    run_time = None
    if isinstance(steps, int | float) and not isinstance(steps, bool) and steps > 0:
        run_time = min(MAX_STEPS_TIME, steps * STEP_TIME)
    return ModelResult("completed", 200, json.dumps(answer), run_time=run_time)


# -- LLM-style answers -------------------------------------------------------------

_STORY: Final = (
    "The lighthouse keeper climbed the spiral stairs one more time as the sun "
    "slid under the rim of the sea. Below, the harbour lights came on one by one, "
    "small and yellow, like a row of patient questions waiting for an answer.",
    "Requests arrive the same way: each one is queued, picked up by a worker, "
    "and answered when the work is done. Nobody has to stand at the door and "
    "wait; you leave your question, take a ticket with its id, and come back "
    "for the answer whenever it suits you.",
    "That is all an asynchronous request is. This answer came from the demo "
    "model built into vessl-gui, so no GPU was harmed in writing it.",
)


def _words(text: str) -> int:
    return len(text.split())


def _llm_answer(data: Any, path: str) -> ModelResult:
    prompt = data.get("prompt", "") if isinstance(data, dict) else data
    if not isinstance(prompt, str):
        prompt = json.dumps(prompt, ensure_ascii=False)
    text = f"You asked: “{prompt[:200]}”\n\n" + "\n\n".join(_STORY)
    answer = {
        "id": "cmpl-demo",
        "object": "text_completion",
        "model": "demo-llm",
        "path": path,
        "choices": [{"index": 0, "text": text, "finish_reason": "stop", "logprobs": None}],
        "usage": {"prompt_tokens": _words(prompt), "completion_tokens": _words(text)},
    }
    return ModelResult("completed", 200, json.dumps(answer, ensure_ascii=False))


def _chat_answer(data: Any) -> ModelResult:
    messages = data.get("messages") if isinstance(data, dict) else None
    last = messages[-1] if isinstance(messages, list) and messages else {}
    asked = last.get("content", "") if isinstance(last, dict) else ""
    if not isinstance(asked, str):
        asked = json.dumps(asked, ensure_ascii=False)
    content = f"Happy to help with “{asked[:200]}”.\n\n" + "\n\n".join(_STORY[1:])
    answer = {
        "id": "chatcmpl-demo",
        "object": "chat.completion",
        "model": "demo-llm",
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content},
                "finish_reason": "stop",
            }
        ],
        "usage": {"prompt_tokens": _words(asked), "completion_tokens": _words(content)},
    }
    return ModelResult("completed", 200, json.dumps(answer, ensure_ascii=False))


def _big_array(n: int) -> ModelResult:
    score = [f"{((i * 7919) % 10007) / 10007:.4f}" for i in range(n)]
    items = ", ".join(f'{{"i": {i}, "score": {s}}}' for i, s in enumerate(score))
    return ModelResult("completed", 200, f'{{"count": {n}, "items": [{items}]}}')


def demo_model(method: str, path: str, data: Any) -> ModelResult:
    """Run the built-in demo model (see the module docstring for the paths)."""
    clean = path.split("?", 1)[0]
    parts = [p for p in clean.split("/") if p]
    if len(parts) in (2, 3) and parts[0] == "status" and parts[1].isdigit():
        code = int(parts[1])
        text = len(parts) == 3 and parts[2] == "text"
        if 100 <= code <= 599 and (len(parts) == 2 or text):
            return _by_status(code, data, method, path, text)
    if len(parts) == 2 and parts[0] == "sleep":
        try:
            seconds = float(parts[1])
        except ValueError:
            seconds = -1.0
        if 0.0 <= seconds <= MAX_SLEEP:
            return ModelResult("completed", 200, _echo(data, method, path), run_time=seconds)
    if parts == ["text"]:
        raw = f"Hello from the demo model! You sent {method} {path}.\nThis is not JSON."
        return ModelResult("completed", 200, raw)
    if parts == ["fail"]:
        return ModelResult("failed", None, None, "internal error")
    if len(parts) == 2 and parts[0] == "large" and parts[1].isdigit():
        n = min(int(parts[1]), MAX_LARGE)
        return ModelResult("completed", 200, '{"blob": "' + "a" * n + '"}')
    if parts and parts[0] == "image":
        size = _size(parts[1]) if len(parts) in (2, 3) else (256, 192)
        noise = len(parts) == 3 and parts[2] == "noise"
        if size is not None and (len(parts) < 3 or noise):
            return _image_answer(data, *size, noise=noise)
    if parts in (["llm"], ["v1", "completions"]):
        return _llm_answer(data, clean)
    if parts == ["v1", "chat", "completions"]:
        return _chat_answer(data)
    if len(parts) == 2 and parts[0] == "big-array" and parts[1].isdigit():
        return _big_array(min(int(parts[1]), MAX_BIG_ARRAY))
    if parts == ["unicode"]:
        raw = json.dumps(
            {"text": "Grüße, 世界 👋", "rtl": "שלום", "echo": data}, ensure_ascii=False
        )
        return ModelResult("completed", 200, raw)
    return ModelResult("completed", 200, _echo(data, method, path))


@dataclass(frozen=True)
class StoredRequest:
    """One queued request with its precomputed timeline."""

    request_id: str
    slug: str
    method: str
    path: str
    created_at: float
    start_at: float
    """When it turns ``in_progress``."""
    end_at: float
    """When it turns final."""
    result: ModelResult

    @property
    def size(self) -> int:
        return len(self.raw_output or "") + len(self.path) + 64

    @property
    def raw_output(self) -> str | None:
        return self.result.raw_output

    def status_at(self, now: float) -> str:
        if now < self.start_at:
            return "pending"
        if now < self.end_at:
            return "in_progress"
        return self.result.status

    def output_at(self, now: float) -> dict[str, Any]:
        """The body of ``GET …/async/{id}/output`` at time ``now``."""
        status = self.status_at(now)
        answer: dict[str, Any] = {"status": status}
        if status in ("pending", "in_progress"):
            return answer
        res = self.result
        if res.status_code is not None:
            answer["status_code"] = res.status_code
        if res.raw_output is not None:
            answer["raw_output"] = res.raw_output
            with contextlib.suppress(ValueError):
                answer["output"] = json.loads(res.raw_output, parse_constant=_reject_constant)
        if res.status == "failed":
            answer["fail_reason"] = res.fail_reason or "failed"
        return answer


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


class RequestQueue:
    """Stores requests (bounded, oldest evicted) and decides their timelines."""

    def __init__(
        self,
        *,
        clock: Callable[[], float],
        queue_delay: float,
        run_time: float,
        cold_start: float,
        scaled_to_zero: bool,
        concurrency: int | None,
        max_requests: int,
        max_stored_bytes: int,
        seed: int | None = None,
    ) -> None:
        if max_requests < 1 or max_stored_bytes < 1:
            raise ValueError("max_requests and max_stored_bytes must be positive")
        self.clock = clock
        self.queue_delay = queue_delay
        self.run_time = run_time
        self.cold_start = cold_start
        self.max_requests = max_requests
        self.max_stored_bytes = max_stored_bytes
        self._rng = random.Random(seed) if seed is not None else random.SystemRandom()
        self._store: OrderedDict[str, StoredRequest] = OrderedDict()
        self._bytes = 0
        self._cold = scaled_to_zero
        self._warm_at: float | None = None
        self._workers: list[float] = []
        self.concurrency = concurrency
        self.evicted = 0

    # -- settings -------------------------------------------------------------
    @property
    def concurrency(self) -> int | None:
        return self._concurrency

    @concurrency.setter
    def concurrency(self, value: int | None) -> None:
        if value is not None and value < 1:
            raise ValueError("concurrency must be positive or None")
        self._concurrency = value
        self._workers = [0.0] * value if value else []

    def set_scaled_to_zero(self, cold: bool) -> None:
        """Scale the service to zero (``True``) or wake it at once (``False``).

        Waking starts the requests that were held by the cold start right away
        (as a service that came up would); other timelines are kept.
        """
        now = self.clock()
        if self._cold and not cold:
            for rid, req in self._store.items():
                ready = max(now, req.created_at + self.queue_delay)
                if req.start_at > ready:
                    shift = req.start_at - ready
                    self._store[rid] = dataclasses.replace(
                        req, start_at=ready, end_at=req.end_at - shift
                    )
        self._cold = cold
        self._warm_at = None

    def is_cold(self) -> bool:
        self._refresh(self.clock())
        return self._cold

    def _refresh(self, now: float) -> None:
        if self._cold and self._warm_at is not None and now >= self._warm_at:
            self._cold = False
            self._warm_at = None

    # -- requests -------------------------------------------------------------
    def new_id(self) -> str:
        while True:
            rid = "".join(self._rng.choice(ID_ALPHABET) for _ in range(ID_LENGTH))
            if rid not in self._store:
                return rid

    def create(self, slug: str, method: str, path: str, result: ModelResult) -> StoredRequest:
        """Queue a request whose answer is ``result`` (see :func:`demo_model`)."""
        now = self.clock()
        self._refresh(now)
        ready = now + self.queue_delay
        if self._cold:
            if self._warm_at is None:
                self._warm_at = now + self.cold_start
            ready = max(ready, self._warm_at)
        run = self.run_time if result.run_time is None else result.run_time
        start = ready
        if self._workers:
            start = max(ready, self._workers[0])
            heapq.heapreplace(self._workers, start + run)
        req = StoredRequest(self.new_id(), slug, method, path, now, start, start + run, result)
        self._store[req.request_id] = req
        self._bytes += req.size
        while len(self._store) > self.max_requests or (
            self._bytes > self.max_stored_bytes and len(self._store) > 1
        ):
            _, old = self._store.popitem(last=False)
            self._bytes -= old.size
            self.evicted += 1
        return req

    def get(self, request_id: str) -> StoredRequest | None:
        return self._store.get(request_id)

    def __len__(self) -> int:
        return len(self._store)

    @property
    def stored_bytes(self) -> int:
        return self._bytes
