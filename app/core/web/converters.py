"""URL converters: `<int:...>` ids bounded to the database column, so a huge id is a 404; and
the same bound for ids read from a query string or a form (`parse_id`)."""

from __future__ import annotations

from werkzeug.routing import IntegerConverter, Map

# Ids are 32-bit integers in the database (INTEGER): a bigger number names nothing, and on
# PostgreSQL it would fail the query ("integer out of range") as a 500.
MAX_ID = 2**31 - 1


def parse_id(value: str | None) -> int | None:
    """An id as a query string or form gives it: ASCII digits naming a possible row (1 to
    MAX_ID), else None. Not `type=int`, which takes 2**40 (a 500 on PostgreSQL) and '-3', nor a
    bare str.isdigit(), which takes '²', which int() then refuses (a 500 anywhere)."""
    text = (value or "").strip()
    if not (text.isascii() and text.isdigit()):
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None


class BoundedIntConverter(IntegerConverter):
    """Werkzeug's `int`, with `max` defaulting to the id column's range instead of unbounded."""

    def __init__(
        self,
        map: Map,
        fixed_digits: int = 0,
        min: int | None = None,
        max: int | None = MAX_ID,
        signed: bool = False,
    ) -> None:
        super().__init__(map, fixed_digits, min, max, signed)
