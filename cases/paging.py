"""Django's Paginator, told the total instead of running COUNT(*) on every case.

The dashboard already has the total from its GROUP BY (selectors.stage_and_level_counts),
and for the whole caseload that total may be a minute old: so one page past its end is
still tried, and one row more than a page is fetched to tell whether another page follows.
"""

from math import ceil

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator


class CountedPaginator(Paginator):
    def __init__(self, object_list, per_page: int, *, count: int):
        super().__init__(object_list, per_page)
        self._count = count

    @property
    def count(self) -> int:
        return self._count

    @property
    def num_pages(self) -> int:
        return max(1, ceil(self.count / self.per_page))

    def validate_number(self, number) -> int:
        """Django's checks, with one page past the counted end allowed (the count may be old)."""
        try:
            return super().validate_number(number)
        except EmptyPage:
            if int(number) == self.num_pages + 1:
                return int(number)
            raise

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        rows = list(self.object_list[bottom : bottom + self.per_page + 1])
        if not rows and number > self.num_pages:
            raise EmptyPage(self.error_messages["no_results"])
        if len(rows) > self.per_page:  # more follow: at least one more page
            self._count = max(self._count, bottom + len(rows))
        elif rows:  # the last page: now the total is exact
            self._count = bottom + len(rows)
        return self._get_page(rows[: self.per_page], number, self)

    def get_page(self, number):
        """A page whatever `number` is: not a number is the first page, below 1 the first,
        past the end the last."""
        try:
            return self.page(number)
        except PageNotAnInteger:
            return self.page(1)
        except EmptyPage:
            return self.page(1 if int(number) < 1 else self.num_pages)
