"""Helpers shared by the services tests: answering the controller's dialogs."""

from __future__ import annotations

import pytest

from vessl_gui.ui.window import MainWindow


def answer_text(monkeypatch: pytest.MonkeyPatch, w: MainWindow, *answers: str | None) -> list[str]:
    asked: list[str] = []
    queue = list(answers)

    def ask(title: str, label: str, text: str = "") -> str | None:
        asked.append(f"{title}: {label} [{text}]")
        return queue.pop(0)

    monkeypatch.setattr(w.services, "ask_text", ask)
    return asked
