"""Deterministic, realistic seed data in the interchange format (docs/interchange/FORMAT.md).

    from graph_api.seed import generate
    counts = generate(out, entities=300, seed=42)   # -> {"department": 348, "entity": 300, "person": …}

`generate(out, entities, seed, as_of=date(2026, 6, 30))` writes every department first (29 cities ×
12 departments), then one cluster at a time; memory does not grow with `entities`. Exactly `entities`
entity lines are written, with about 7.5 lines in all per entity. The same (entities, seed, as_of)
gives the same bytes. Modules: generator.py (the clusters), base.py (one line of each kind),
tables.py (divisions, departments, industries, names, texts, identifier arithmetic).

Every file starts with the same showcase clusters (their content depends on the seed):
 0. a firm on the JOINT_PUNISHMENT list whose legal representative was replaced between the first
    basis record and the listing (both are bound), and the replaced one founds a new firm after the
    listing, as its legal representative and 100% holder (phoenix, "new");
 1. a listed firm that appoints a new legal representative after the listing (not bound), and whose
    bound person takes over an older firm after the listing (legal representative and majority
    holder from the same day; phoenix, "takeover");
 2. a business group: the chairman controls the holding company (60-100%) and is its legal
    representative and a DIRECTOR of its subsidiaries; holding → subsidiary → sub-subsidiary; the
    holding company was on KEY_ATTENTION (repaired, with a CREDIT_REPAIR commitment) and is now on
    JOINT_PUNISHMENT, so its subsidiaries are "owned by a listed entity"; VOLUNTARY,
    INDUSTRY_SELF_DISCIPLINE and a BREACHED APPROVAL_SUBSTITUTION commitment;
 3-9. a farmers' cooperative on the RED list, a social organisation, a public institution, a rural
    collective, a partnership, an individual business and a family's firms.
After those, cluster kinds are drawn at random, and the same storylines recur at small rates.
tests/test_seed_generator.py (Data.replaced_before_listing, appointed_after_listing, phoenixes,
director_and_legal_rep) shows how to find each of them in a file.
"""

from graph_api.seed.generator import generate

__all__ = ["generate"]
