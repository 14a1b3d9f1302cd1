"""Everyday English words that must never be a term's alias: they would be linked everywhere.

A short list on purpose: it catches the plausible slips (an alias "care" for caregiving,
"support" for supportive intervention), not every English word.
"""

from __future__ import annotations

COMMON_WORDS: frozenset[str] = frozenset(
    """
    a about after all also an and any are as at be because been before being between both
    but by can could did do does each early for from had has have he her here him his how
    i if in into is it its just like many may more most must my no not now of on one only
    or other our out over same she should so some such than that the their them then there
    these they this those through to too under up very was we were what when where which
    while who why will with would you your
    care caring child children family families help home life love need needs parent
    parents people play practice program programs relationship relationships service
    services support supports time work working help helping health learning development
    growth change skills family's people's baby babies infant infants mother father
    """.split()
)
