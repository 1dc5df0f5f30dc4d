"""What tells the importer's parent that a light item's key was written earlier in the same import
(ingest/written_keys.py): "no" must be certain, "maybe" may be wrong but rarely."""

from graph_api.ingest.written_keys import WrittenKeys


def test_every_key_added_answers_maybe_and_keys_never_added_almost_never_do():
    written = WrittenKeys()
    added = [f"91110000{n:010d}" for n in range(20_000)]
    for key in added:
        written.add("entity", key)
    assert all(written.may_hold("entity", key) for key in added)
    # the same key of another kind is another fact
    others = [*(("entity", f"91110000{n:010d}") for n in range(20_000, 40_000)), *(("person", k) for k in added)]
    false_maybe = sum(written.may_hold(kind, key) for kind, key in others)
    # 20,000 keys in 2^26 bits with two probes: about 4e-7 of the others; 5 of 40,000 would be 300x that
    assert false_maybe <= 5


def test_an_empty_set_holds_nothing():
    written = WrittenKeys()
    assert not any(written.may_hold("role", f"r{n}") for n in range(1_000))
