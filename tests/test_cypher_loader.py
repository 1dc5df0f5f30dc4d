"""The Cypher loader, in-process: each statement keeps its own doc comment, its file and line; a
malformed file is refused at its file:line; a statement is usable wherever statement text is."""

from __future__ import annotations

import copy
import pickle

import pytest

from graph_api.store.cypher_loader import CypherError, load, parse, parse_file, queries
from graph_api.store.statement import Statement

FILE = """\
// The file's own comment,
// over two lines.

// name: first
RETURN 1 AS one

// Why the second statement exists.
// It has two lines of doc.
// name: second
MATCH (n)
// a comment inside the statement stays in it
RETURN n;

// name: third
RETURN 3 AS three
"""


def test_each_statement_keeps_its_own_doc_comment_and_the_file_keeps_its_opening_comment():
    parsed = parse_file(FILE, "f.cypher")
    assert parsed.doc == "The file's own comment,\nover two lines."
    first, second, third = parsed.statements
    assert (first.doc, second.doc, third.doc) == ("", "Why the second statement exists.\nIt has two lines of doc.", "")
    # the body ends where the next statement's doc begins, so no doc is glued to the statement before it
    assert first.text == "RETURN 1 AS one"
    assert second.text == "MATCH (n)\n// a comment inside the statement stays in it\nRETURN n"


def test_each_statement_knows_its_file_and_line():
    first, second, third = parse(FILE, "f.cypher")
    assert (first.where, second.where, third.where) == ("f.cypher:5", "f.cypher:10", "f.cypher:15")
    assert second.at(3) == "f.cypher:12"
    assert (
        second.locate("Invalid input 'RETRUN' (line 3, column 1 (offset: 20))")
        == "f.cypher:12 (column 1 of the composed line)"
    )


def test_the_loaded_statements_know_theirs():
    st = queries.exposure_entity
    assert st.source == "linkage.cypher" and st.name == "exposure_entity"
    lines = (st.text.splitlines()[0], open_line(st.source, st.line))
    assert lines[0] == lines[1].rstrip()
    assert queries.admin_wipe_batch.doc.startswith("Deleting in batches")
    assert queries.admin_ping.doc == ""  # the header of admin.cypher has no comment above it
    assert queries.file_docs["audit.cypher"].startswith("The audit trail")


def open_line(source: str, line: int) -> str:
    from graph_api.store.cypher_loader import CYPHER_DIR

    return (CYPHER_DIR / source).read_text(encoding="utf-8").splitlines()[line - 1]


def test_a_statement_is_text_with_its_facts():
    st = queries.admin_ping
    assert isinstance(st, str) and isinstance(st, Statement)
    assert st == "RETURN 1 AS ok" and "EXPLAIN " + st == "EXPLAIN RETURN 1 AS ok"
    for twin in (copy.copy(st), copy.deepcopy(st), pickle.loads(pickle.dumps(st))):
        assert (twin, twin.name, twin.where, twin.row) == (st, st.name, st.where, st.row)
    with pytest.raises(AttributeError, match="no Cypher statement named 'nope'"):
        queries.nope  # noqa: B018 (the attribute access is the test)


@pytest.mark.parametrize(
    "text, where, message",
    [
        ("// name: one\nRETURN 1\n// name: two\n", "t.cypher:3", "statement 'two' is empty"),
        ("RETURN 0\n// name: one\nRETURN 1\n", "t.cypher:1", "Cypher before the first"),
        ("// name: one\nRETURN 1\n\n// orphan\n\n// name: two\nRETURN 2\n", "t.cypher:4", "belongs to neither"),
        ("// name: one(x)\nRETURN 1\n", "t.cypher:1", "takes \\$parameters"),
        ("// fragment: f(x, x)\nx\n", "t.cypher:1", "distinct names"),
        ("// fragment: f(x)\nx.a // why\n", "t.cypher:2", "holds no comment"),
    ],
)
def test_malformed_files_are_refused_at_file_and_line(tmp_path, text, where, message):
    (tmp_path / "t.cypher").write_text(text, encoding="utf-8")
    with pytest.raises(CypherError, match=message) as caught:
        load(tmp_path)
    assert str(caught.value).startswith(where + ":")


def test_duplicate_names_are_refused_naming_both_places(tmp_path):
    (tmp_path / "a.cypher").write_text("// name: one\nRETURN 1\n", encoding="utf-8")
    (tmp_path / "b.cypher").write_text("\n// name: one\nRETURN 2\n", encoding="utf-8")
    with pytest.raises(CypherError, match=r"^b\.cypher:3: Cypher statement 'one' is already defined at a\.cypher:2$"):
        load(tmp_path)
