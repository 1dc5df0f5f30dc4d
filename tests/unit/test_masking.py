"""The one masking rule and the publication filter, in process (domain/masking.py, domain/permissions.py)."""

from __future__ import annotations

import datetime as dt

from graph_api.domain.actor import Actor
from graph_api.domain.masking import mask_name, visible_part
from graph_api.domain.permissions import ROLES, publication_filter


def test_a_masked_name_shows_its_first_character_and_a_star_per_other():
    assert [mask_name(n) for n in ("陈海", "欧阳娜娜", "李")] == ["陈*", "欧***", "李*"]
    assert mask_name(None) is None and mask_name("") == ""
    assert [visible_part(n) for n in ("李明杰", "王李")] == ["李", "王"]


def test_only_the_public_is_kept_to_published_records():
    day = dt.date(2026, 6, 30)
    for role in ROLES:
        actor = Actor(user="u", role=role)
        assert publication_filter(actor, day) == {"publishedAsOf": day if role == "PUBLIC" else None}
