"""A named Cypher statement: its text (a `str`, so it goes wherever statement text goes), where it is
written, its own doc comment, and the shape of its result rows (`row`, a TypedDict of rows.py)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

Row = TypeVar("Row")
_NEO4J_POSITION = re.compile(r"\(line (\d+), column (\d+)")


class Statement(str, Generic[Row]):
    """`str(statement)` is the composed Cypher (fragments expanded); `.line` is the file line of its
    first Cypher line, so line N of the text is `.source` line `.line + N - 1`."""

    name: str
    source: str
    line: int
    doc: str
    row: type[Any] | None

    def __new__(cls, text: str, *, name: str, source: str, line: int, doc: str = "") -> Statement[Row]:
        self = super().__new__(cls, text)
        self.name, self.source, self.line, self.doc, self.row = name, source, line, doc, None
        return self

    @property
    def text(self) -> str:
        return str.__str__(self)

    @property
    def where(self) -> str:
        """`file:line` of the statement's first Cypher line, for errors."""
        return f"{self.source}:{self.line}"

    def at(self, text_line: int) -> str:
        """`file:line` of line `text_line` (1-based) of the statement's text, as Neo4j numbers it."""
        return f"{self.source}:{self.line + text_line - 1}"

    def locate(self, message: str) -> str:
        """`file:line` of the position a Neo4j error message names ("(line 3, column 7 ..."), else of
        the statement. The column counts in the composed text, where a fragment may stand expanded."""
        m = _NEO4J_POSITION.search(message)
        if m is None:
            return self.where
        return f"{self.at(int(m.group(1)))} (column {m.group(2)} of the composed line)"

    def __repr__(self) -> str:
        return f"<Statement {self.name} at {self.where}>"

    # A str subclass with attributes must say how to copy and pickle itself, or the attributes are lost.
    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (self.text, self.name, self.source, self.line, self.doc, self.row))


@dataclass(frozen=True)
class Fragment:
    """A shared piece of Cypher, `// fragment: name(params)`, that statements use as `@name(args)`."""

    name: str
    params: tuple[str, ...]
    text: str  # as written, on one line; it may use other fragments
    source: str
    line: int
    doc: str

    @property
    def where(self) -> str:
        return f"{self.source}:{self.line}"


def _rebuild(text: str, name: str, source: str, line: int, doc: str, row: type[Any] | None) -> Statement[Any]:
    statement: Statement[Any] = Statement(text, name=name, source=source, line=line, doc=doc)
    statement.row = row
    return statement
