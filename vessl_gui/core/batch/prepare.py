"""A batch file's items made ready for a service: its variables checked and replaced.

Each item is a ``data`` text sent with the composer's service, method and path.
``{{name}}`` references work as in the composer: an item that uses a variable the
service lacks is refused (a :class:`~vessl_gui.core.batch.source.BatchProblem` at
its line, never sent); plain variables are replaced in what history keeps, secret
ones stay ``{{name}}`` there (flagged) and are replaced only in what is sent
(:func:`wire_text`).  Pure and bounded: 10 000 small items in ~0.1 s.
"""

from __future__ import annotations

from collections.abc import Sequence

from vessl_gui.core.batch.source import BatchProblem, BatchSource
from vessl_gui.core.errors import ValidationError
from vessl_gui.core.records import record
from vessl_gui.core.variables import Variable, references, resolve, unknown_references


@record
class PreparedBatch:
    """What :func:`prepare_batch` made of a batch file."""

    texts: tuple[str, ...]
    """The items as history keeps them (plain variables replaced), in file order."""
    lines: tuple[int, ...]
    """Each item's line in the file."""
    problems: tuple[BatchProblem, ...]
    """The file's problems and the items refused for an unknown variable, by line."""
    secrets: frozenset[str]
    """The secret variables the items use (kept as ``{{name}}`` in history)."""


def prepare_batch(source: BatchSource, path: str, variables: Sequence[Variable]) -> PreparedBatch:
    """Check ``source``'s items (and ``path``) against the service's ``variables``.

    Raises :class:`ValidationError` (field ``path``) when the path uses an unknown
    variable: then no item could be sent.  Secret values are not needed here.
    """
    names = [v.name for v in variables]
    path_problems = unknown_references(path, "", names)
    if path_problems:
        raise ValidationError(path_problems)
    plain = [v for v in variables if not v.secret]
    texts: list[str] = []
    lines: list[int] = []
    problems = list(source.problems)
    secrets: set[str] = set()
    for item in source.items:
        refs = references("", item.text)
        if not refs:
            texts.append(item.text)
            lines.append(item.line)
            continue
        unknown = unknown_references("", item.text, names)
        if unknown:
            first = unknown[0]
            line = item.line + (first.line or 1) - 1
            column = (first.column or 1) + (item.column - 1 if first.line == 1 else 0)
            problems.append(BatchProblem(line, column, first.message))
            continue
        # Only plain values are given: the secret references stay as they are.
        kept = resolve("", item.text, plain)
        texts.append(kept.history_data)
        lines.append(item.line)
        secrets.update(r.name for r in refs if r.name not in {v.name for v in plain})
    problems.sort(key=lambda p: (p.line, p.column))
    return PreparedBatch(tuple(texts), tuple(lines), tuple(problems), frozenset(secrets))


def wire_text(path: str, text: str, variables: Sequence[Variable]) -> tuple[str, str]:
    """(path, data) as sent: every reference replaced (secret values included)."""
    done = resolve(path, text, variables)
    done.check()
    return done.path, done.data
