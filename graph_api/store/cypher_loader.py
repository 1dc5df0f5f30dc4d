"""Named Cypher statements from cypher/*.cypher, in the manner of aiosql.

The file format:

    // The file's own comment: the opening comment block, ended by a blank line.

    // The statement's doc comment: the `//` lines directly above its header.
    // name: listings_in_force
    MATCH (l:Listing) WHERE @valid_on(l, $asOf)
    RETURN l.id AS id

`queries.<name>` is a `Statement` (statement.py): a `str` of the composed text, carrying its name,
source file, line, doc comment and declared row type (rows.py, `Statements`: a new statement gets
its row TypedDict there, or tests/test_cypher_rows.py fails); run it with store/run.py.

Fragments — a rule written once and used by many statements — are defined like statements with a
`// fragment: name(param, ...)` header (cypher/fragments.cypher) and used as `@name(arg, ...)`. `@`
is no Cypher token, so a placeholder cannot be mistaken for Cypher (and an `@` anywhere else in a
statement, even in a comment or a string, is refused rather than guessed at). Arguments are variables or
$parameters; the loader puts each argument where its parameter stands (as a whole word, not after
`.` or `$`) and wraps the result in parentheses, so `A OR @f(x)` means what it reads. A fragment may
use another fragment. Its text is spliced in as one line, so the lines of a composed statement are
the lines of its file, and an error Neo4j reports at line N is at `statement.at(N)`; for the same
reason a fragment holds no `//` comment. A variable a fragment introduces itself (in an EXISTS, say)
is named so that no statement uses the name.

Values always travel as $parameters: nothing here formats a value into a statement."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from graph_api.resources import CYPHER_DIR
from graph_api.store.statement import Fragment, Statement

if TYPE_CHECKING:
    from graph_api.store.rows import Statements

_IDENT = r"[A-Za-z_][A-Za-z0-9_]*"
_HEADER = re.compile(rf"^//\s*(name|fragment):\s*({_IDENT})\s*(?:\((.*)\))?\s*$")
_PLACEHOLDER = re.compile(rf"@({_IDENT})\(([^()]*)\)")
_ARGUMENT = re.compile(rf"^\$?{_IDENT}$")
_MAX_DEPTH = 8


class CypherError(ValueError):
    """A malformed cypher/ file, with `file:line` first in the message."""


@dataclass(frozen=True)
class _Block:
    kind: str  # "name" or "fragment"
    name: str
    params: str | None
    header: int  # 0-based index of the header line
    doc: str
    body: list[str]  # the lines after the header, up to the next block's doc comment


@dataclass(frozen=True)
class ParsedFile:
    source: str
    doc: str
    statements: list[Statement[Any]]
    fragments: list[Fragment]


def _is_comment(line: str) -> bool:
    return line.strip().startswith("//")


def _uncomment(lines: list[str]) -> str:
    return "\n".join(re.sub(r"^\s*//\s?", "", x).rstrip() for x in lines).strip()


def _blocks(lines: list[str], source: str) -> tuple[str, list[_Block]]:
    heads = [(i, m) for i, x in enumerate(lines) if (m := _HEADER.match(x.strip()))]
    doc_starts = []
    for i, _ in heads:
        d = i
        while d > 0 and _is_comment(lines[d - 1]) and not _HEADER.match(lines[d - 1].strip()):
            d -= 1
        doc_starts.append(d)
    first = doc_starts[0] if heads else len(lines)
    for n, x in enumerate(lines[:first]):
        if x.strip() and not _is_comment(x):
            raise CypherError(f"{source}:{n + 1}: Cypher before the first '// name:' header")
    blocks = []
    for k, (i, m) in enumerate(heads):
        end = doc_starts[k + 1] if k + 1 < len(heads) else len(lines)
        blocks.append(
            _Block(m.group(1), m.group(2), m.group(3), i, _uncomment(lines[doc_starts[k] : i]), lines[i + 1 : end])
        )
    return _uncomment(lines[:first]), blocks


def _trimmed(block: _Block, source: str) -> tuple[int, list[str]]:
    """The body without surrounding blank lines, and the 1-based file line of its first line."""
    body = block.body
    start = next((n for n, x in enumerate(body) if x.strip()), None)
    if start is None:
        what = "statement" if block.kind == "name" else "fragment"
        raise CypherError(f"{source}:{block.header + 1}: {what} {block.name!r} is empty")
    end = max(n for n, x in enumerate(body) if x.strip())
    if _is_comment(body[end]):
        # A comment after a statement's last line, apart from the next header, documents nothing.
        orphan = block.header + 2 + end
        raise CypherError(
            f"{source}:{orphan}: a comment between statements belongs to neither: put it directly "
            "above a '// name:' header (the next statement's doc) or inside a statement"
        )
    return block.header + 2 + start, body[start : end + 1]


def parse_file(text: str, source: str) -> ParsedFile:
    doc, blocks = _blocks(text.splitlines(), source)
    statements: list[Statement[Any]] = []
    fragments: list[Fragment] = []
    for b in blocks:
        line, body = _trimmed(b, source)
        if b.kind == "name":
            if b.params is not None:
                raise CypherError(f"{source}:{b.header + 1}: a statement takes $parameters, not '({b.params})'")
            cypher = "\n".join(body).rstrip().rstrip(";").rstrip()
            statements.append(Statement(cypher, name=b.name, source=source, line=line, doc=b.doc))
            continue
        params = tuple(p.strip() for p in (b.params or "").split(",") if p.strip())
        if not all(re.fullmatch(_IDENT, p) for p in params) or len(set(params)) != len(params):
            raise CypherError(f"{source}:{b.header + 1}: fragment parameters must be distinct names: ({b.params})")
        for n, x in enumerate(body):
            if "//" in x:
                raise CypherError(f"{source}:{line + n}: a fragment holds no comment (it is spliced into one line)")
        fragments.append(Fragment(b.name, params, " ".join(x.strip() for x in body), source, line, b.doc))
    return ParsedFile(source, doc, statements, fragments)


def parse(text: str, source: str) -> list[Statement[Any]]:
    """The statements of one file, as written (placeholders not expanded)."""
    return parse_file(text, source).statements


def _substitute(fragment: Fragment, args: list[str]) -> str:
    text = fragment.text
    values = dict(zip(fragment.params, args, strict=True))  # the caller checked the count
    if values:
        pattern = re.compile(r"(?<![\w$.])(" + "|".join(map(re.escape, values)) + r")(?!\w)")
        text = pattern.sub(lambda m: values[m.group(1)], text)
    return f"({text})"


def expand(text: str, fragments: dict[str, Fragment], where: str, depth: int = 0) -> str:
    """`text` with every `@fragment(args)` replaced by the fragment's text; `where` (file:line) names
    the text in errors."""

    def one(m: re.Match[str]) -> str:
        name, raw = m.group(1), m.group(2)
        fragment = fragments.get(name)
        if fragment is None:
            raise CypherError(
                f"{where}: unknown fragment @{name} (fragments: {', '.join(sorted(fragments)) or 'none'})"
            )
        args = [a.strip() for a in raw.split(",")] if raw.strip() else []
        if len(args) != len(fragment.params) or not all(_ARGUMENT.match(a) for a in args):
            raise CypherError(
                f"{where}: @{name} takes {len(fragment.params)} variables or $parameters "
                f"({', '.join(fragment.params)}; {fragment.where}), given ({raw})"
            )
        if depth >= _MAX_DEPTH:
            raise CypherError(f"{where}: fragments nested more than {_MAX_DEPTH} deep (a fragment using itself?)")
        return expand(_substitute(fragment, args), fragments, f"{where} in @{name} ({fragment.where})", depth + 1)

    out = _PLACEHOLDER.sub(one, text)
    if "@" in out:
        raise CypherError(f"{where}: '@' outside a well-formed placeholder @fragment(arg, ...)")
    return out


def _compose(st: Statement[Any], fragments: dict[str, Fragment]) -> Statement[Any]:
    lines = st.text.split("\n")
    out = [expand(x, fragments, st.at(n + 1)) for n, x in enumerate(lines)]
    return Statement("\n".join(out), name=st.name, source=st.source, line=st.line, doc=st.doc)


class Queries:
    def __init__(
        self,
        statements: dict[str, Statement[Any]],
        fragments: dict[str, Fragment],
        raw: dict[str, Statement[Any]],
        docs: dict[str, str],
    ):
        self._statements = statements
        self.fragments = fragments
        self.raw = raw  # as written, placeholders not expanded
        self.file_docs = docs  # each file's opening comment

    def __getattr__(self, name: str) -> Statement[Any]:
        try:
            return self._statements[name]
        except KeyError:
            raise AttributeError(f"no Cypher statement named {name!r} in {CYPHER_DIR}") from None

    def all(self) -> list[Statement[Any]]:
        return list(self._statements.values())


def load(directory: Path = CYPHER_DIR, rows: dict[str, type[Any]] | None = None) -> Queries:
    """Every statement of `directory`, composed; `rows` (name -> row type) is attached as `.row`."""
    raw: dict[str, Statement[Any]] = {}
    fragments: dict[str, Fragment] = {}
    docs: dict[str, str] = {}
    for path in sorted(directory.glob("*.cypher")):
        parsed = parse_file(path.read_text(encoding="utf-8"), path.name)
        docs[path.name] = parsed.doc
        for st in parsed.statements:
            if st.name in raw:
                raise CypherError(
                    f"{st.where}: Cypher statement {st.name!r} is already defined at {raw[st.name].where}"
                )
            raw[st.name] = st
        for f in parsed.fragments:
            if f.name in fragments:
                raise CypherError(f"{f.where}: fragment {f.name!r} is already defined at {fragments[f.name].where}")
            fragments[f.name] = f
    statements = {name: _compose(st, fragments) for name, st in raw.items()}
    for name, st in statements.items():
        st.row = (rows or {}).get(name)
    return Queries(statements, fragments, raw, docs)


def _load_declared() -> Statements:
    from graph_api.store.rows import ROWS  # rows.py imports statement.py only: no cycle

    return cast("Statements", load(rows=ROWS))


queries = _load_declared()
