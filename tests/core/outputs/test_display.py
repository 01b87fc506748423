"""Pretty text for reading: long strings and arrays shortened."""

from __future__ import annotations

import json

from tests.core.outputs.samples import PNG_B64
from vessl_gui.core import outputs as o


def test_display_shortens_long_strings_and_arrays() -> None:
    value = {"image": PNG_B64 * 100, "items": list(range(5000)), "ok": "short"}
    shown = o.display_json(value, max_string=100, max_items=10)
    assert shown.shortened
    parsed = json.loads(shown.text)
    assert parsed["ok"] == "short"
    assert "more characters" in parsed["image"] and len(parsed["image"]) < 300
    assert parsed["items"][:10] == list(range(10))
    assert "4,990 more items" in parsed["items"][10]
    small = o.display_json({"a": [1, 2]})
    assert not small.shortened and json.loads(small.text) == {"a": [1, 2]}
    capped = o.display_json(list(range(1000)), limit=100)
    assert capped.shortened and len(capped.text) < 200
