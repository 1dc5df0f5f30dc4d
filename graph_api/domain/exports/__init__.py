"""The ownership-and-control network of an entity in other agencies' formats: BODS 0.4 (bods.py) and
FollowTheMoney (ftm.py), both mapped from one `Network` (network.py) that already holds only what the
reader may see."""
