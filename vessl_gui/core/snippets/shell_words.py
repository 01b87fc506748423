"""What the shell lexer makes of a pasted text: words, operators, simple commands, pipelines.

A :class:`Word` keeps its variable references (:class:`Var`) apart from its literal
text, so that :class:`~.shell_env.Env` expands only what the pasted text itself set.
:func:`split_pipelines` groups the lexer's tokens into pipelines of :class:`Command`.
"""

from __future__ import annotations

from dataclasses import dataclass, field


class ShellError(Exception):
    pass


@dataclass(frozen=True)
class Var:
    name: str
    raw: str


Part = str | Var


@dataclass
class Word:
    parts: list[Part] = field(default_factory=list)
    quoted: bool = False
    bare_head: str = ""
    """The unquoted text the word starts with (``NAME=`` must be in it for an assignment)."""

    def merge(self) -> None:
        """Join adjacent literal parts (linear time, however many pieces)."""
        merged: list[Part] = []
        run: list[str] = []
        for p in self.parts:
            if isinstance(p, str):
                run.append(p)
                continue
            if run:
                merged.append("".join(run))
                run = []
            merged.append(p)
        if run:
            merged.append("".join(run))
        self.parts = merged

    def literal_prefix(self) -> str:
        return self.parts[0] if self.parts and isinstance(self.parts[0], str) else ""


@dataclass
class Op:
    op: str
    heredoc: Word | None = None


Token = Word | Op


@dataclass
class Command:
    words: list[Word] = field(default_factory=list)
    redirects: list[tuple[Op, Word | None]] = field(default_factory=list)


def split_pipelines(tokens: list[Token]) -> list[list[Command]]:
    """Split tokens into pipelines (lists of simple commands)."""
    out: list[list[Command]] = []
    pipe: list[Command] = [Command()]
    i = 0
    while i < len(tokens):
        t = tokens[i]
        if isinstance(t, Word):
            pipe[-1].words.append(t)
        elif t.op in ("|", "|&"):
            pipe.append(Command())
        elif t.op in ("\n", ";", "&&", "||", "&", ";;"):
            out.append(pipe)
            pipe = [Command()]
        elif t.op in ("(", ")"):
            raise ShellError("sub-shells with ( … ) cannot be read")
        else:  # a redirection: its target is the next word
            target = tokens[i + 1] if i + 1 < len(tokens) else None
            if isinstance(target, Word):
                i += 1
                pipe[-1].redirects.append((t, target))
            else:
                pipe[-1].redirects.append((t, None))
        i += 1
    out.append(pipe)
    return [[c for c in p if c.words or c.redirects] for p in out if any(c.words for c in p)]
