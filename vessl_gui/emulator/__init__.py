"""A local emulator of the VESSL Serve async-request API (pure stdlib).

It serves ``POST {base}/async`` and ``GET {base}/async/{id}/output`` on
127.0.0.1 with ``base = http://127.0.0.1:<port>/api/v1/services/<slug>``,
queues requests through ``pending`` -> ``in_progress`` -> ``completed``/``failed``,
answers them with a built-in demo model and can be told to misbehave
(:class:`Fault`, per endpoint ``"create"`` / ``"output"``), to limit creates
(``create_rate=N``: more than N a second answer 429 with ``Retry-After`` and
create nothing), or hold requests nobody sent it over HTTP
(:meth:`Emulator.seed_request`, as a colleague's curl would have made them).

The demo model answers by the request's ``path`` (details in
:mod:`vessl_gui.emulator.model`):

* any other path: ``completed``, 200, output ``{"echo": data, "method": …, "path": …}``
* ``/status/<code>``: that code; non-2xx -> ``failed`` with a JSON raw_output and fail_reason
* ``/status/<code>/text``: the same with a plain-text raw_output (no ``output``)
* ``/sleep/<seconds>``: runs that long, then echoes
* ``/text``: ``completed``, 200, plain-text raw_output (no ``output``)
* ``/fail``: ``failed``, fail_reason ``"internal error"``, no status_code / raw_output
* ``/large/<n>``: ``completed``, output ``{"blob": "a" * n}``
* ``/unicode``: ``completed``, non-ASCII output
* ``/image``, ``/image/<w>x<h>``: two generated PNGs (a data URL and bare base64 in a list)
* ``/image/<w>x<h>/noise``: one large, incompressible PNG (e.g. 2240x2240: ~20 MB base64)
* ``/llm``, ``/v1/completions``, ``/v1/chat/completions``: LLM-style completions
* ``/big-array/<n>``: ``{"count": n, "items": [...]}`` with n items

In process::

    with Emulator(token="demo-token", slug="demo") as emu:
        print(emu.base_url)

Standalone: ``python -m vessl_gui.emulator --port 8765`` (see ``--help``).
"""

from vessl_gui.emulator.api import Answer, EmulatorStats, RecordedRequest
from vessl_gui.emulator.emulator import DEFAULT_SLUG, DEFAULT_TOKEN, Emulator, EmulatorConfig
from vessl_gui.emulator.faults import Endpoint, Fault
from vessl_gui.emulator.model import ModelResult, demo_model

__all__ = [
    "DEFAULT_SLUG",
    "DEFAULT_TOKEN",
    "Answer",
    "Emulator",
    "EmulatorConfig",
    "EmulatorStats",
    "Endpoint",
    "Fault",
    "ModelResult",
    "RecordedRequest",
    "demo_model",
]
