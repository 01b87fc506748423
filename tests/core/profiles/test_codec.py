"""The services file's format: damaged, empty, newer and unreadable files."""

from __future__ import annotations

import pytest

from tests.core.profiles.conftest import URL
from vessl_gui.core.errors import StorageError
from vessl_gui.core.profiles import ProfileStore


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b'{"format": "vessl-gui.profiles", "version": 1,\n "profiles": [}', "line 2, column"),
        (b"\xff\xfe garbage", "not UTF-8"),
        (b"[1, 2]", "is not a JSON object"),
        (b'{"format": "x", "version": 1}', '"format" is not'),
        (b'{"format": "vessl-gui.profiles", "version": 1, "profiles": {}}', "must be a list"),
        (
            b'{"format": "vessl-gui.profiles", "version": 1, "profiles": [{"id": "a", '
            b'"name": "n", "base_url": "u", "connect_timeout": -1}]}',
            'profiles[0]: "connect_timeout" must be a positive number',
        ),
        (
            b'{"format": "vessl-gui.profiles", "version": 1, "saved_requests": [{"id": "r",'
            b' "profile_id": "gone", "name": "n", "method": "", "path": "", "data": ""}]}',
            "names no service",
        ),
    ],
)
def test_a_damaged_file_is_moved_aside_never_deleted(path, content, reason):
    path.parent.mkdir(parents=True)
    path.write_bytes(content)
    store = ProfileStore(path)
    assert store.profiles() == []
    assert store.recovered_to is not None and store.recovered_to.read_bytes() == content
    assert store.recovered_to.name.startswith("profiles.json.corrupt-")
    assert store.notice is not None and reason in store.notice
    assert str(store.recovered_to) in store.notice
    assert not path.exists()
    store.add_profile("fresh", URL)  # and the store works on
    assert [p.name for p in ProfileStore(path).profiles()] == ["fresh"]


def test_two_damaged_files_in_the_same_second_both_survive(path):
    path.parent.mkdir(parents=True)
    for content in (b"one", b"two"):
        path.write_bytes(content)
        ProfileStore(path)
    kept = sorted(p.read_bytes() for p in path.parent.glob("profiles.json.corrupt-*"))
    assert kept == [b"one", b"two"]


def test_an_empty_file_is_an_empty_store(path):
    path.parent.mkdir(parents=True)
    path.write_text("  \n")
    store = ProfileStore(path)
    assert store.profiles() == [] and store.notice is None


def test_a_newer_file_is_left_alone(path):
    path.parent.mkdir(parents=True)
    path.write_text('{"format": "vessl-gui.profiles", "version": 9}')
    with pytest.raises(StorageError, match="newer vessl-gui"):
        ProfileStore(path)
    assert path.read_text() == '{"format": "vessl-gui.profiles", "version": 9}'


def test_an_unreadable_path_is_a_storage_error(path):
    path.mkdir(parents=True)  # a directory where the file should be
    with pytest.raises(StorageError, match="Could not read the services file"):
        ProfileStore(path)
