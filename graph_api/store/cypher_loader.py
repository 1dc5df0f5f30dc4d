"""Named Cypher statements from cypher/*.cypher, in the manner of aiosql: each statement stands under
a `// name: <identifier>` header; `queries.<identifier>` is its text. Values always travel as
$parameters, so nothing here formats a statement."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from graph_api.settings import PROJECT_ROOT

CYPHER_DIR = PROJECT_ROOT / "cypher"
_HEADER = re.compile(r"^//\s*name:\s*([A-Za-z_][A-Za-z0-9_]*)\s*$", re.MULTILINE)


@dataclass(frozen=True)
class Statement:
    name: str
    text: str
    source: str


class Queries:
    def __init__(self, statements: dict[str, Statement]):
        self._statements = statements

    def __getattr__(self, name: str) -> str:
        try:
            return self._statements[name].text
        except KeyError:
            raise AttributeError(f"no Cypher statement named {name!r} in {CYPHER_DIR}") from None

    def all(self) -> list[Statement]:
        return list(self._statements.values())


def parse(text: str, source: str) -> list[Statement]:
    headers = list(_HEADER.finditer(text))
    preamble = text[: headers[0].start()] if headers else text
    if any(line.strip() and not line.strip().startswith("//") for line in preamble.splitlines()):
        raise ValueError(f"{source}: Cypher before the first '// name:' header")
    out = []
    for i, h in enumerate(headers):
        end = headers[i + 1].start() if i + 1 < len(headers) else len(text)
        body = text[h.end() : end].strip()
        if not body:
            raise ValueError(f"{source}: statement {h.group(1)!r} is empty")
        out.append(Statement(h.group(1), body.rstrip(";").strip(), source))
    return out


def load(directory: Path = CYPHER_DIR) -> Queries:
    statements: dict[str, Statement] = {}
    for path in sorted(directory.glob("*.cypher")):
        for st in parse(path.read_text(encoding="utf-8"), path.name):
            if st.name in statements:
                raise ValueError(f"Cypher statement {st.name!r} defined in {statements[st.name].source} and {path.name}")
            statements[st.name] = st
    return Queries(statements)


queries = load()
