"""``python -m vessl_gui.emulator``: serve the emulated VESSL async API until Ctrl+C.

The token comes from ``--token``, else from the environment variable
``VESSL_EMULATOR_TOKEN`` (keeps it out of the process list), else a random one
is generated and printed.
"""

from __future__ import annotations

import argparse
import os
import secrets
import signal
import sys
import threading
from collections.abc import Sequence
from types import FrameType

from vessl_gui.emulator.emulator import DEFAULT_SLUG, Emulator

TOKEN_ENV = "VESSL_EMULATOR_TOKEN"


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 0 <= value <= 86400:
        raise argparse.ArgumentTypeError("must be between 0 and 86400 seconds")
    return value


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"not a positive integer: {text!r}")
    return int(text)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m vessl_gui.emulator",
        description="Serve a local emulator of the VESSL Serve async-request API.",
        epilog=f"The token may also be given in the environment variable {TOKEN_ENV}.",
    )
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (127.0.0.1)")
    p.add_argument("--port", type=int, default=8765, help="port (8765; 0 picks a free one)")
    p.add_argument("--token", help=f"bearer token (default: ${TOKEN_ENV} or a random one)")
    p.add_argument(
        "--slug",
        action="append",
        help=f"service slug; repeat for several (default: {DEFAULT_SLUG})",
    )
    p.add_argument("--queue-delay", type=_seconds, default=0.3, help="seconds pending (0.3)")
    p.add_argument("--run-time", type=_seconds, default=0.5, help="seconds in progress (0.5)")
    p.add_argument(
        "--cold-start", type=_seconds, default=5.0, help="seconds to wake when scaled to zero (5)"
    )
    p.add_argument("--scaled-to-zero", action="store_true", help="start scaled to zero (cold)")
    p.add_argument("--concurrency", type=_positive, help="requests running at once (unlimited)")
    p.add_argument("--latency", type=_seconds, default=0.0, help="seconds before every answer")
    p.add_argument(
        "--create-rate",
        type=_positive,
        help="creates a second at most; more answer 429 with Retry-After (unlimited)",
    )
    p.add_argument("--verbose", action="store_true", help="log every request to stderr")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    token: str | None = args.token or os.environ.get(TOKEN_ENV) or None
    if token is None:
        token = secrets.token_urlsafe(24)
        source = "generated"
    else:
        source = "from --token" if args.token else f"from ${TOKEN_ENV}"
    slugs: list[str] = args.slug or [DEFAULT_SLUG]

    def log(line: str) -> None:
        print(line, file=sys.stderr, flush=True)

    emu = Emulator(
        token,
        slugs[0],
        extra_slugs=slugs[1:],
        host=args.host,
        port=args.port,
        queue_delay=args.queue_delay,
        run_time=args.run_time,
        cold_start=args.cold_start,
        scaled_to_zero=args.scaled_to_zero,
        concurrency=args.concurrency,
        latency=args.latency,
        create_rate=args.create_rate,
        access_log=log if args.verbose else None,
    )
    try:
        emu.start()
    except (OSError, ValueError) as exc:
        print(f"error: cannot serve on {args.host}:{args.port}: {exc}", file=sys.stderr)
        return 2

    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    try:
        print("VESSL async API emulator", flush=True)
        for slug in emu.slugs:
            print(f"  base URL: {emu.url_for(slug)}", flush=True)
        if source == "generated":
            print(f"  token:    {token}", flush=True)
        else:
            print(f"  token:    ({source})", flush=True)
        print("Press Ctrl+C to stop.", flush=True)
        while not stop.wait(0.5):
            pass
    finally:
        emu.stop()
    print("stopped", file=sys.stderr, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
