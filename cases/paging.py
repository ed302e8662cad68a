"""Pages of a list without COUNT(*): one extra row tells whether another page follows.

The total shown ("page 3 of 40") may come from counts a minute old; the rows never do.
"""

from dataclasses import dataclass
from math import ceil


@dataclass
class Page:
    object_list: list
    number: int
    per_page: int
    has_next: bool
    total: int

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self):
        return len(self.object_list)

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1

    @property
    def num_pages(self) -> int:
        counted = max(1, ceil(self.total / self.per_page))
        return max(counted, self.number + 1 if self.has_next else self.number)


def page_of(queryset, number, per_page: int, total: int) -> Page:
    try:
        number = max(1, int(number))
    except (TypeError, ValueError):
        number = 1
    last = max(1, ceil(total / per_page))
    number = min(number, last + 1)  # a little past the counted end, in case the count is old
    rows = list(queryset[(number - 1) * per_page : number * per_page + 1])
    if not rows and number > 1:
        number = last
        rows = list(queryset[(number - 1) * per_page : number * per_page + 1])
    return Page(rows[:per_page], number, per_page, len(rows) > per_page, total)
