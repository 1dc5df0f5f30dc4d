"""Shared Cypher fragments (cypher/fragments.cypher) are written once: no statement holds a pasted copy
of one, and every statement that uses one was composed by the loader."""

from __future__ import annotations

import re

import pytest

from graph_api.store.cypher_loader import CypherError, Fragment, expand, load, queries

# Being rewritten by another change of issue 10; they are converted when that lands.
_TOKEN = re.compile(r"\$?[A-Za-z_][A-Za-z0-9_]*|\.\.|\S")  # `..` (a slice) is one token: no property follows it


def copy_pattern(text: str) -> re.Pattern[str]:
    """A regex for `text` written with any variable names and spacing: a lowercase word that is not a
    property, label or $parameter is a variable; the same variable must recur where it recurs."""
    out, seen, previous = [], {}, ""
    tokens = _TOKEN.findall(text)
    for i, tok in enumerate(tokens):
        # after ':' a word is a label or a relationship type, unless it is a map's value: a property follows
        # (`{k: r.p}`), or the ':' follows a map's key (`{k: v, j: w}`; a label's ':' follows '(', '[' or a variable)
        map_value = i >= 3 and tokens[i - 3] in ("{", ",")
        label = previous == ":" and tokens[i + 1 : i + 2] != ["."] and not map_value
        is_var = (tok[0].isalpha() or tok[0] == "_") and not tok.isupper() and previous != "." and not label
        if is_var and tok in seen:
            out.append(f"(?P={seen[tok]})")
        elif is_var:
            seen[tok] = f"v{len(seen)}"
            out.append(rf"(?P<{seen[tok]}>\$?[A-Za-z_][A-Za-z0-9_]*)")
        else:
            out.append(re.escape(tok))
        previous = tok
    return re.compile(r"(?<![\w$.])" + r"\s*".join(out) + r"(?!\w)")


def composed_text(fragment: Fragment) -> str:
    return expand(fragment.text, queries.fragments, fragment.where)


PATTERNS = {name: copy_pattern(composed_text(f)) for name, f in queries.fragments.items()}


def test_the_shared_rules_are_fragments():
    assert {"valid_on", "valid_on_open_start", "not_ended", "in_window"} <= set(queries.fragments)


def test_the_copy_detector_finds_a_copy_under_other_names_and_spacing():
    pasted = "WHERE m.since <= $at AND (m.until IS NULL OR\n  m.until > $at) AND x"
    assert PATTERNS["valid_on"].search(pasted)
    assert not PATTERNS["valid_on"].search("WHERE m.since <= $at AND (m.until IS NULL OR m.until > $other)")
    assert PATTERNS["in_window"].search(
        "r.since <= k.since AND (r.until IS NULL OR EXISTS { MATCH (k)-[:BASED_ON]->"
        "(b:Record) WHERE b.decidedOn < r.until })"
    )


@pytest.mark.parametrize("name", sorted(queries.raw))
def test_no_statement_holds_a_pasted_copy_of_a_fragment(name):
    raw = queries.raw[name]
    for fragment, pattern in PATTERNS.items():
        m = pattern.search(raw.text)
        assert m is None, (
            f"{raw.at(raw.text[: m.start()].count(chr(10)) + 1)}: {name} pastes @{fragment}: {m.group(0)!r}"
        )


def test_no_fragment_holds_a_pasted_copy_of_another():
    for name, f in queries.fragments.items():
        for other, pattern in PATTERNS.items():
            assert other == name or not pattern.search(f.text), f"{f.where}: @{name} pastes @{other}"


def test_every_statement_using_a_fragment_was_composed():
    used = set()
    for st in queries.all():
        raw = queries.raw[st.name]
        assert "@" not in st.text, f"{st.where}: {st.name} still holds a placeholder"
        for name in re.findall(r"@([A-Za-z_]\w*)\(", raw.text):
            used.add(name)
            assert PATTERNS[name].search(st.text), f"{st.where}: @{name} in {st.name} was not composed"
        # composing splices fragments into lines, never adds or removes one
        assert st.text.count("\n") == raw.text.count("\n") and st.line == raw.line
    # a fragment used only inside another (person_map, listing_basis) is used where that one is
    for _ in range(len(queries.fragments)):
        used |= {n for f in used for n in re.findall(r"@([A-Za-z_]\w*)\(", queries.fragments[f].text)}
    assert used == set(queries.fragments), "a fragment no statement uses"


def test_a_placeholder_becomes_the_parenthesised_fragment_with_the_arguments():
    assert (
        expand("WHERE a OR @valid_on(l, $asOf)", queries.fragments, "t")
        == "WHERE a OR (l.since <= $asOf AND (l.until IS NULL OR l.until > $asOf))"
    )


def test_only_whole_variables_are_replaced(tmp_path):
    (tmp_path / "f.cypher").write_text(
        "// fragment: f(x, day)\nx.day = day AND $x = x.x\n\n// name: s\nRETURN @f(n, $d) AS v\n", encoding="utf-8"
    )
    assert load(tmp_path).s == "RETURN (n.day = $d AND $x = n.x) AS v"


@pytest.mark.parametrize(
    "statement, message",
    [
        ("RETURN @nope(x) AS v", r"^f\.cypher:5: unknown fragment @nope"),
        (
            "RETURN @f(x, y) AS v",
            r"^f\.cypher:5: @f takes 1 variables or \$parameters \(x; f\.cypher:2\), given \(x, y\)",
        ),
        ("RETURN @f(x.y) AS v", r"^f\.cypher:5: @f takes 1"),
        ("RETURN 'a@b' AS v", r"^f\.cypher:5: '@' outside a well-formed placeholder"),
        ("RETURN @g(x) AS v", r"^f\.cypher:5 in @g \(f\.cypher:8\).*nested more than 8 deep"),
    ],
)
def test_a_wrong_placeholder_is_refused_at_file_and_line(tmp_path, statement, message):
    (tmp_path / "f.cypher").write_text(
        "// fragment: f(x)\nx.a\n\n// name: s\n" + statement + "\n\n// fragment: g(x)\n@g(x)\n", encoding="utf-8"
    )
    with pytest.raises(CypherError, match=message):
        load(tmp_path)


def test_the_list_fragments_name_the_domains_lists():
    """Which lists bind persons and which punish is decided in the domain; the two fragments that let a
    read filter by it in the database must name exactly those lists."""
    import ast

    from graph_api.domain.linkage import BINDING_LISTS
    from graph_api.domain.vocabulary import PUNISHMENT_LISTS

    def listed(fragment: str) -> set[str]:
        text = queries.fragments[fragment].text
        return set(ast.literal_eval(text[text.index("[") : text.rindex("]") + 1]))

    assert listed("binds_persons") == set(BINDING_LISTS)
    assert listed("punishes") == set(PUNISHMENT_LISTS)
