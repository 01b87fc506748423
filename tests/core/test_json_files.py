"""core/json_files.py: reading a JSON file to open (size limit, UTF-8, BOM), without Qt."""

from __future__ import annotations

from pathlib import Path

import pytest

from vessl_gui.core import json_files
from vessl_gui.core.json_files import FileText, read_json_text


def test_utf8_text_is_read_and_a_bom_dropped(tmp_path: Path) -> None:
    path = tmp_path / "payload.json"
    path.write_bytes(b'\xef\xbb\xbf{"caf\xc3\xa9": 1}\n')
    assert read_json_text(path) == FileText('{"café": 1}\n', 16)
    assert read_json_text(str(path)).problem is None


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b'{"a": "caf\xe9"}', "it is not UTF-8 text (byte 0xe9 at offset 10)"),
        ('{"a": 1}'.encode("utf-16"), "it is UTF-16 text; save it as UTF-8"),
        (b"\xfe\xff" + "[1]".encode("utf-16-be"), "it is UTF-16 text; save it as UTF-8"),
        (b"  \n", "the file is empty"),
        (b"", "the file is empty"),
    ],
)
def test_bad_content_is_refused_with_a_reason(tmp_path: Path, content: bytes, problem: str) -> None:
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    assert read_json_text(path) == FileText(problem=problem)


def test_missing_file_and_folder_are_refused(tmp_path: Path) -> None:
    missing = read_json_text(tmp_path / "nope.json")
    assert missing.text == "" and missing.problem is not None
    assert "No such file" in missing.problem
    assert read_json_text(tmp_path).problem == "it is a folder"


def test_a_file_over_the_limit_is_not_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert json_files.MAX_OPEN_BYTES == 64 * 1024 * 1024
    monkeypatch.setattr(json_files, "MAX_OPEN_BYTES", 2048)
    path = tmp_path / "big.json"
    path.write_text("[" + "1," * 1500 + "1]", encoding="utf-8")
    assert read_json_text(path) == FileText(problem="it is 3 KB, more than the 2 KB limit")
