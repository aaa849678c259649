"""`__in` on integer columns that ignores numbers the database cannot hold.

Django 5 already answers `id=9223372036854775808` with "no such row", but not
`id__in=[9223372036854775808]`: SQLite, the embedded default, raises OverflowError and the
request ends in a 500. Multiple-choice filters and forms validate ids with such a query, so a
hand-edited URL like `?district=9223372036854775808` crashed the card file. A number out of
range cannot match any row, so it is dropped from the list; an empty list matches nothing.
"""

from typing import Any

from django.db import models
from django.db.models.lookups import In


class RangeSafeIn(In):
    def process_rhs(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        if self.rhs_is_direct_value():
            internal_type = self.lhs.output_field.get_internal_type()
            low, high = connection.ops.integer_field_range(internal_type)
            self.rhs = [
                value
                for value in self.rhs
                if not isinstance(value, int)
                or ((low is None or value >= low) and (high is None or value <= high))
            ]
        return super().process_rhs(compiler, connection)


def register() -> None:
    models.IntegerField.register_lookup(RangeSafeIn)
