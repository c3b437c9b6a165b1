"""URL converters: `<int:...>` ids bounded to the database column, so a huge id is a 404."""

from __future__ import annotations

from werkzeug.routing import IntegerConverter, Map

# Ids are 32-bit integers in the database (INTEGER): a bigger number names nothing, and on
# PostgreSQL it would fail the query ("integer out of range") as a 500.
MAX_ID = 2**31 - 1


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
