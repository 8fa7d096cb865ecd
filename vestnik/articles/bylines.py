"""Who wrote an article, first author first: the one rule for every byline.

The byline on the page and in lists, the citation records, the print and PDF
versions, feeds and the expert profile all read an article's authors through
`authors_in_order`; it reads nothing from the database itself.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from vestnik.authors.models import Expert


def authors_in_order(owner: Expert | None, co_authors: Iterable[Expert]) -> list[Expert]:
    """An article's authors: the blog's expert first, or an analysis piece's by surname.

    A blog post is its blog's expert's, with the co-authors after them. An
    analysis piece belongs to the institution and has no owner: its authors
    (the `co_authors` field) stand in the order of their surnames, then full
    names, so the first author a citation names is the same on every page and
    in every language. A many-to-many keeps no order of its own, and an
    alphabetical byline is the institution's convention for joint work.
    """
    others = [expert for expert in co_authors if owner is None or expert.pk != owner.pk]
    if owner is not None:
        return [owner, *others]
    return sorted(others, key=lambda expert: (expert.surname, expert.full_name, expert.pk))
