"""cases.paging.CountedPaginator: Django's Paginator on a total it is given, maybe old."""

from cases.paging import CountedPaginator

ROWS = list(range(30))


def test_a_count_too_low_still_reaches_the_rows_past_it():
    """Counted 3 a minute ago, 30 now: the next page is found by the one row more."""
    first = CountedPaginator(ROWS, 25, count=3).get_page(1)
    assert first.has_next() and first.paginator.num_pages == 2
    second = CountedPaginator(ROWS, 25, count=3).get_page(2)
    assert list(second) == ROWS[25:] and not second.has_next()


def test_a_count_too_high_becomes_exact_on_the_last_page_and_never_fails():
    paginator = CountedPaginator(ROWS, 10, count=100)
    assert list(paginator.get_page(3)) == ROWS[20:] and paginator.num_pages == 3
    empty = CountedPaginator(ROWS, 10, count=100).get_page(7)
    assert list(empty) == [] and empty.number == 7


def test_nothing_to_show_is_one_empty_page():
    page = CountedPaginator([], 25, count=0).get_page("5")
    assert page.number == 1 and list(page) == [] and not page.has_next()
