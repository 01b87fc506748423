"""Run the benchmark suite and print a markdown table.

    .venv/bin/python tests/benchmarks/run.py            # the full suite (about 4 minutes)
    .venv/bin/python tests/benchmarks/run.py --only B3,B5 --runs 7
    .venv/bin/python tests/benchmarks/run.py --quick    # tiny sizes, one run (smoke test)

Each figure is measured side by side with its baseline in the same run
(interleaved), and shown as ``median [min–max]`` over ``--runs`` runs:

B1  process start -> main window painted, offscreen and under Xvfb, vs a bare
    PySide6 ``QMainWindow`` script                                  (<= 1.5x)
B2  resident memory at idle after start, vs the same bare window     (<= +40 MB)
B3  1 000 creates through the app's send path (WorkerThreads + HistoryStore)
    vs a plain ``httpx.Client`` loop, emulator with zero delays      (<= 1.25x, 1 connection)
B4  longest GUI event-loop stall while 200 sends are in flight (1 s latency)  (<= 50 ms)
B5  a 100 000-row history: first paint; a filter keystroke           (<= 300 ms; <= 50 ms)
B6  pasting / loading a 5 MB JSON payload: longest stall, time to valid,
    vs ``json.loads`` of the same text                               (stall <= 100 ms)
B7  resident memory with the 100 000-row history open, vs B2         (<= +60 MB)
B8  a 10 000-line batch sent from the window (Send a batch, 4 at once): longest
    stall, and its time vs a plain ``httpx.Client`` loop of the same creates (<= 50 ms)

The machine line printed with the table says where it ran; the numbers are
noisy on a loaded machine, which is why they are ratios to a baseline that ran
beside them.  ``--json FILE`` also writes the raw per-run values.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make ``tests.benchmarks`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.benchmarks.common import Row, Series, deltas, machine, ratios, run_child, table

ALL = ("B1", "B2", "B3", "B4", "B5", "B6", "B7", "B8")


@dataclass(frozen=True)
class Sizes:
    runs: int = 5
    rows: int = 100_000
    creates: int = 1000
    sends: int = 200
    latency: float = 1.0
    observe: float = 3.0
    payload: int = 5_000_000
    idle_ms: int = 1500
    batch_lines: int = 10_000
    xvfb: bool = True

    @classmethod
    def quick(cls) -> Sizes:
        return cls(
            runs=1,
            rows=300,
            creates=20,
            sends=8,
            latency=0.2,
            observe=0.3,
            payload=60_000,
            idle_ms=200,
            batch_lines=40,
            xvfb=False,
        )


def _ms(s: Series) -> str:
    return s.fmt("ms")


def _x(s: Series) -> str:
    return s.fmt("×", 2)


def startup_rows(raw: dict[str, Any], label: str, sizes: Sizes, only: set[str]) -> list[Row]:
    app, bare = raw["app"], raw["bare"]
    out: list[Row] = []
    if "B1" in only:
        r = ratios(app["paint_ms"], bare["paint_ms"])
        out.append(
            Row(
                "B1",
                f"start → main window painted ({label})",
                _ms(Series.of(app["paint_ms"])),
                _ms(Series.of(bare["paint_ms"])),
                _x(r),
                "≤ 1.5×",
                r.median <= 1.5,
            )
        )
    if "B2" in only:
        mb = [v / 1024 for v in app["rss_kb"]]
        base = [v / 1024 for v in bare["rss_kb"]]
        d = deltas(mb, base)
        out.append(
            Row(
                "B2",
                f"RSS at idle, {sizes.idle_ms / 1000:g} s after the first frame ({label})",
                Series.of(mb).fmt("MB", 1),
                Series.of(base).fmt("MB", 1),
                "+" + d.fmt("MB", 1),
                "≤ +40 MB",
                d.median <= 40,
            )
        )
    saved = raw.get("app+service")
    if saved and "B2" in only:
        mb = [v / 1024 for v in saved["rss_kb"]]
        base = [v / 1024 for v in bare["rss_kb"]]
        d = deltas(mb, base)
        out.append(
            Row(
                "B2",
                f"the same for a returning user: a saved service with a saved token ({label})",
                Series.of(mb).fmt("MB", 1),
                Series.of(base).fmt("MB", 1),
                "+" + d.fmt("MB", 1),
                "≤ +40 MB",
                d.median <= 40,
            )
        )
    big = raw.get("app+rows")
    if big and "B7" in only:
        mb = [v / 1024 for v in big["rss_kb"]]
        base = [v / 1024 for v in app["rss_kb"]]
        d = deltas(mb, base)
        out.append(
            Row(
                "B7",
                f"RSS with a {sizes.rows:,}-row history open, vs B2's app ({label})",
                Series.of(mb).fmt("MB", 1),
                Series.of(base).fmt("MB", 1),
                "+" + d.fmt("MB", 1),
                "≤ +60 MB",
                d.median <= 60,
            )
        )
    if big and "B5" in only:
        r = ratios(big["paint_ms"], app["paint_ms"])
        out.append(
            Row(
                "B5",
                f"start → painted with a {sizes.rows:,}-row history, vs empty ({label})",
                _ms(Series.of(big["paint_ms"])),
                _ms(Series.of(app["paint_ms"])),
                _x(r),
                "—",
                None,
            )
        )
    return out


def keyring_rows(raw: dict[str, Any]) -> list[Row]:
    """B1 for a returning user on a desktop: gnome-keyring running in a D-Bus session."""
    app = Series.of(raw["app+service"]["paint_ms"])
    bare = Series.of(raw["bare"]["paint_ms"])
    ratio = ratios(app.values, bare.values)
    return [
        Row(
            "B1",
            "start → main window painted (Xvfb), returning user (a saved service and its "
            "token in the keyring) with the real Secret Service running (gnome-keyring in "
            "a D-Bus session)",
            _ms(app),
            _ms(bare),
            _x(ratio),
            "≤ 1.5×",
            ratio.median <= 1.5,
        )
    ]


def b3_rows(raw: dict[str, Any]) -> list[Row]:
    n = raw["creates"]
    r = ratios(raw["app_s"], raw["base_s"])
    conns = raw["app_connections"]
    failed = sum(raw["app_failed"])
    one = max(conns) == 1
    rows = [
        Row(
            "B3",
            f"{n:,} creates, one after another: WorkerThreads + HistoryStore vs httpx.Client",
            f"{Series.of(raw['app_s']).fmt('s', 2)}, {max(conns)} connection(s)",
            f"{Series.of(raw['base_s']).fmt('s', 2)}, {max(raw['base_connections'])} connection(s)",
            _x(r),
            "≤ 1.25×, 1 connection",
            r.median <= 1.25 and one and not failed,
        )
    ]
    c = ratios(raw["concurrent_s"], raw["base_s"])
    rows.append(
        Row(
            "B3",
            f"{n:,} creates all at once (spread over the 4 send workers), vs the same httpx loop",
            f"{Series.of(raw['concurrent_s']).fmt('s', 2)}, "
            f"{max(raw['concurrent_connections'])} connection(s)",
            Series.of(raw["base_s"]).fmt("s", 2),
            _x(c),
            "—",
            None,
        )
    )
    if failed:
        rows[0].notes.append(f"{failed} create(s) failed")
    return rows


def b4_rows(raw: dict[str, Any]) -> list[Row]:
    runs = raw["runs"]
    longest = Series.of([r["longest_ms"] for r in runs])
    p99 = Series.of([r["p99_ms"] for r in runs])
    flight = Series.of([r["flight_longest_ms"] for r in runs])
    answered = min(r["answered"] for r in runs)
    return [
        Row(
            "B4",
            f"longest event-loop stall: {raw['sends']} sends from the window (one per 5 ms), "
            f"{raw['latency']:g} s latency, until {raw['observe']:g} s after the last "
            f"({answered}+ answered by then)",
            _ms(longest),
            f"p99 gap {_ms(p99)}",
            "—",
            "≤ 50 ms",
            longest.median <= 50,
        ),
        Row(
            "B4",
            f"the same, only after the last send: {raw['sends']} in flight, answers and "
            "status checks arriving",
            _ms(flight),
            "—",
            "—",
            "≤ 50 ms",
            flight.median <= 50,
        ),
    ]


def b5_rows(raw: dict[str, Any]) -> list[Row]:
    big, empty = raw["big"], raw["empty"]
    n = raw["rows"]

    def series(runs: list[dict[str, Any]], key: str) -> Series:
        return Series.of([r[key] for r in runs])

    paint, paint0 = series(big, "paint_ms"), series(empty, "paint_ms")
    worst, worst0 = series(big, "key_max_ms"), series(empty, "key_max_ms")
    med, med0 = series(big, "key_median_ms"), series(empty, "key_median_ms")
    count, count0 = series(big, "count_max_ms"), series(empty, "count_max_ms")
    worst_keys = sorted({r["worst_key"] for r in big})
    return [
        Row(
            "B5",
            f"{n:,}-row history: open store → window's first frame (vs an empty history)",
            _ms(paint),
            _ms(paint0),
            "+" + deltas(paint.values, paint0.values).fmt("ms"),
            "≤ 300 ms",
            paint.median <= 300,
        ),
        Row(
            "B5",
            f"{n:,}-row history: slowest filter keystroke → table repainted "
            f"(typing {', '.join(repr(k) for k in worst_keys)}…)",
            _ms(worst),
            _ms(worst0),
            "+" + deltas(worst.values, worst0.values).fmt("ms"),
            "≤ 50 ms",
            worst.median <= 50,
        ),
        Row(
            "B5",
            f"{n:,}-row history: median filter keystroke",
            _ms(med),
            _ms(med0),
            "+" + deltas(med.values, med0.values).fmt("ms"),
            "≤ 50 ms",
            med.median <= 50,
        ),
        Row(
            "B5",
            f"{n:,}-row history: last key of a word → its exact match count shown "
            "(counted on a thread of its own; slowest word)",
            _ms(count),
            _ms(count0),
            "+" + deltas(count.values, count0.values).fmt("ms"),
            "—",
            None,
        ),
    ]


def b6_rows(raw: dict[str, Any]) -> list[Row]:
    runs = raw["runs"]
    mb = raw["chars"] / 1e6
    loads = Series.of([r["loads_ms"] for r in runs])
    live = "" if raw.get("live_validation") else " (no live validation: Send's check)"
    rows = []
    for how, label in (("paste", "paste"), ("load", "load (setPlainText)")):
        stall = Series.of([r[how]["stall_ms"] for r in runs])
        valid = Series.of([r[how]["valid_ms"] for r in runs])
        rows.append(
            Row(
                "B6",
                f"{label} {mb:.1f} MB JSON into dataEditor: longest stall",
                _ms(stall),
                f"json.loads {_ms(loads)}",
                _x(ratios(stall.values, loads.values)),
                "≤ 100 ms",
                stall.median <= 100,
            )
        )
        rows.append(
            Row(
                "B6",
                f"{label} {mb:.1f} MB JSON: time until the editor knows it is valid{live}",
                _ms(valid),
                f"json.loads {_ms(loads)}",
                _x(ratios(valid.values, loads.values)),
                "—",
                None,
            )
        )
    send = Series.of([r["send"]["stall_ms"] for r in runs])
    rows.append(
        Row(
            "B6",
            f"Send the {mb:.1f} MB payload and follow it to completed: longest stall",
            _ms(send),
            f"json.loads {_ms(loads)}",
            _x(ratios(send.values, loads.values)),
            "—",
            None,
        )
    )
    return rows


def b8_rows(raw: dict[str, Any]) -> list[Row]:
    runs = raw["runs"]
    longest = Series.of([r["longest_ms"] for r in runs])
    app_s = Series.of([r["seconds"] for r in runs])
    loop_s = Series.of([r["loop_seconds"] for r in runs])
    sent = min(r["sent"] for r in runs)
    lines = raw["lines"]
    return [
        Row(
            "B8",
            f"a {lines:,}-line batch from the window (4 at once, {sent:,} sent): longest "
            "event-loop stall from Send to the last answer",
            _ms(longest),
            "—",
            "—",
            "≤ 50 ms",
            longest.median <= 50 and sent == lines,
        ),
        Row(
            "B8",
            f"the same batch's time, vs a plain httpx.Client loop of {lines:,} creates",
            app_s.fmt("s", 1),
            loop_s.fmt("s", 1),
            _x(ratios(app_s.values, loop_s.values)),
            "—",
            None,
        ),
    ]


def collect(sizes: Sizes, only: set[str], raw: dict[str, Any]) -> list[Row]:
    from tests.benchmarks import bench_startup

    rows: list[Row] = []

    def step(name: str) -> None:
        print(f"[{time.strftime('%H:%M:%S')}] {name}…", file=sys.stderr, flush=True)

    if only & {"B1", "B2", "B5", "B7"}:
        step("B1/B2/B7 start-up offscreen")
        want_rows = sizes.rows if only & {"B5", "B7"} else 0
        raw["startup_offscreen"] = run_child(
            "bench_startup",
            ["--runs", str(sizes.runs), "--rows", str(want_rows), "--idle-ms", str(sizes.idle_ms)],
        )
        rows += startup_rows(raw["startup_offscreen"], "offscreen", sizes, only)
        if sizes.xvfb and "B1" in only:
            step("B1/B2 start-up under Xvfb")
            xvfb = bench_startup.under_xvfb(sizes.runs, 0, sizes.idle_ms)
            if xvfb is None:
                rows.append(Row("B1", "under Xvfb: xvfb-run not found", "", "", "", "", None))
            else:
                raw["startup_xvfb"] = xvfb
                rows += startup_rows(xvfb, "Xvfb", sizes, only & {"B1", "B2"})
            step("B1 start-up under Xvfb with the real Secret Service running")
            kr = bench_startup.under_xvfb(sizes.runs, 0, sizes.idle_ms, keyring=True)
            if kr is None:
                rows.append(
                    Row(
                        "B1", "with a Secret Service: gnome-keyring not found", "", "", "", "", None
                    )
                )
            else:
                raw["startup_keyring"] = kr
                rows += keyring_rows(kr)
    if "B3" in only:
        step("B3 creates")
        raw["b3"] = run_child(
            "bench_send", ["--creates", str(sizes.creates), "--runs", str(sizes.runs)]
        )
        rows += b3_rows(raw["b3"])
    if "B4" in only:
        step("B4 sends in flight")
        args = ["b4", "--runs", str(sizes.runs), "--sends", str(sizes.sends)]
        args += ["--latency", str(sizes.latency), "--observe", str(sizes.observe)]
        raw["b4"] = run_child("bench_gui", args)
        rows += b4_rows(raw["b4"])
    if "B5" in only:
        step("B5 large history")
        raw["b5"] = run_child(
            "bench_gui", ["b5", "--runs", str(sizes.runs), "--rows", str(sizes.rows)]
        )
        rows += b5_rows(raw["b5"])
    if "B6" in only:
        step("B6 large payload")
        args = ["b6", "--runs", str(sizes.runs), "--size", str(sizes.payload)]
        raw["b6"] = run_child("bench_gui", args)
        rows += b6_rows(raw["b6"])
    if "B8" in only:
        step("B8 batch")
        args = ["--lines", str(sizes.batch_lines), "--runs", str(sizes.runs)]
        raw["b8"] = run_child("bench_batch", args, timeout=3600)
        rows += b8_rows(raw["b8"])
    order = {b: i for i, b in enumerate(ALL)}
    rows.sort(key=lambda r: order.get(r.bench, 99))
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Run the vessl-gui benchmarks and print a table.",
        epilog=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--runs", type=int, help="runs per figure (default 5; at least 5)")
    parser.add_argument("--only", help="comma-separated benchmarks, e.g. B1,B3 (default all)")
    parser.add_argument("--quick", action="store_true", help="tiny sizes, one run (smoke test)")
    parser.add_argument("--no-xvfb", action="store_true", help="skip the Xvfb start-up runs")
    parser.add_argument("--json", type=Path, help="also write the raw values here")
    args = parser.parse_args(argv)
    sizes = Sizes.quick() if args.quick else Sizes()
    if args.runs:
        sizes = Sizes(**{**sizes.__dict__, "runs": args.runs})
    if args.no_xvfb:
        sizes = Sizes(**{**sizes.__dict__, "xvfb": False})
    only = {b.strip().upper() for b in args.only.split(",")} if args.only else set(ALL)
    unknown = only - set(ALL)
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(sorted(unknown))}")
    raw: dict[str, Any] = {"sizes": sizes.__dict__, "machine": machine()}
    started = time.monotonic()
    rows = collect(sizes, only, raw)
    raw["rows"] = [r.as_dict() for r in rows]
    print(f"\nMachine: {raw['machine']}")
    print(
        f"Runs per figure: {sizes.runs} (median [min–max]); took {time.monotonic() - started:.0f} s\n"
    )
    print(table(rows))
    notes = [f"- {r.bench} {r.what}: {n}" for r in rows for n in r.notes]
    if notes:
        print("\n" + "\n".join(notes))
    if args.json:
        args.json.write_text(json.dumps(raw, indent=1))
    missed = [r for r in rows if r.ok is False]
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
