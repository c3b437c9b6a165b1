"""Numbered pages of a list, alike on every paged list: the page asked for in the query
string, how many pages there are, and whether there is a previous and a next one."""

from __future__ import annotations

from typing import Protocol

MAX_PAGE = 1_000_000


def parse_page(value: str | None) -> int:
    """A page number from the query string; anything odd means the first page."""
    text = (value or "").strip()
    if not (text.isascii() and text.isdigit()):  # '²' is a digit to isdigit(), not to int()
        return 1
    return min(max(int(text), 1), MAX_PAGE)


def page_within(page: int, total: int, per_page: int) -> tuple[int, int]:
    """(page, pages): the page asked for, moved onto the list, and how many pages `total`
    rows fill; an empty list still has its one page."""
    pages = max(1, -(-total // per_page))
    return min(max(page, 1), pages), pages


class Numbered(Protocol):
    @property
    def page(self) -> int: ...

    @property
    def pages(self) -> int: ...


class PageLinks:
    """`has_prev` and `has_next` for a page that knows its `page` and `pages`."""

    @property
    def has_prev(self: Numbered) -> bool:
        return self.page > 1

    @property
    def has_next(self: Numbered) -> bool:
        return self.page < self.pages
