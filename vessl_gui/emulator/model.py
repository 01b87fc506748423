"""The built-in demo model of the emulated service: its answer for each request path.

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

The pictures come from :mod:`vessl_gui.emulator.pictures`; the prompt
(``data["prompt"]``) picks their colours, so the same prompt gives the same
picture.  The queue that stores requests and times them is
:mod:`vessl_gui.emulator.queue`.
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any, Final, Literal

from vessl_gui.emulator.pictures import demo_picture, noise_picture

MAX_SLEEP: Final = 3600.0
MAX_LARGE: Final = 32 * 1024 * 1024
MAX_IMAGE_SIDE: Final = 4096
MAX_NOISE_PIXELS: Final = 24 * 1024 * 1024 // 3
MAX_BIG_ARRAY: Final = 1_000_000
#: ``/image`` runs this long per ``"steps"`` in data, at most ``MAX_STEPS_TIME``.
STEP_TIME: Final = 0.1
MAX_STEPS_TIME: Final = 60.0


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
