"""The Analysis of one output, as the details pane gets it."""

from __future__ import annotations

import json

from vessl_gui.core import outputs as o
from vessl_gui.emulator.model import demo_model


def test_analyze_reports_what_it_found() -> None:
    raw = demo_model("POST", "/image", {"prompt": "a lighthouse"}).raw_output
    out = json.dumps(json.loads(raw or ""), ensure_ascii=False)
    a = o.analyze(out, raw)
    assert a.has_value and [i.path for i in a.images] == ["image", "images[0]"]
    assert json.loads(a.display.text)["prompt"] == "a lighthouse"
    later = o.analyze(out, raw, search=False)
    assert later.has_value and later.images == ()
    assert o.analyze(None, "plain words").texts[0].text == "plain words"
    assert not o.analyze("{bad", None).has_value
    assert "not valid JSON" in o.analyze("{bad", None).error
    assert "nested too deeply" in o.analyze("[" * 100_000 + "]" * 100_000, None).error
    assert o.analyze(None, None) == o.Analysis(False)
