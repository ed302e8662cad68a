"""Tests for the server-side SVG intakes chart (cases.charts); no database needed."""

import xml.etree.ElementTree as ET
from datetime import date, timedelta

from cases import charts
from cases.charts import intakes_chart

TODAY = date(2025, 3, 31)
NS = {"s": "http://www.w3.org/2000/svg"}
TEXT = "{http://www.w3.org/2000/svg}text"


def ago(n: int) -> date:
    return TODAY - timedelta(days=n)


ROWS = [
    (ago(0), "RU", 5),
    (ago(1), "RU", 3),
    (ago(1), "UA", 4),
    (ago(2), "VE", 2),
    (ago(3), "", 1),
    (ago(3), "GE", 1),
    (ago(4), "AF", 1),
]


def test_series_largest_first_with_other_last():
    """The `top` nationalities by total get their own series, the rest is summed into "Other"."""
    result = intakes_chart(ROWS, today=TODAY, top=3)
    assert result["series"] == [("Russia", 8), ("Ukraine", 4), ("Venezuela", 2), ("Other", 3)]


def test_no_other_series_when_everything_fits_and_unknown_label():
    """Without leftovers there is no "Other"; an empty code is labelled "Unknown"."""
    rows = [(ago(0), "RU", 2), (ago(0), "", 1)]
    result = intakes_chart(rows, today=TODAY)
    assert result["series"] == [("Russia", 2), ("Unknown", 1)]


def test_table_newest_first_grouped_like_series():
    """One table entry per day with intakes, newest first, counts grouped like the series."""
    table = intakes_chart(ROWS, today=TODAY, top=1)["table"]
    assert [day for day, _, _ in table] == [ago(0), ago(1), ago(2), ago(3), ago(4)]
    assert table[1] == (ago(1), {"Russia": 3, "Other": 4}, 7)
    assert table[3] == (ago(3), {"Other": 2}, 2)


def test_window_includes_today_and_excludes_days_ago():
    """The window is the `days` days ending today: a row `days` days ago is ignored."""
    rows = [(ago(0), "RU", 1), (ago(89), "UA", 2), (ago(90), "VE", 100), (ago(-1), "VE", 50)]
    result = intakes_chart(rows, today=TODAY, days=90)
    assert result["series"] == [("Ukraine", 2), ("Russia", 1)]
    assert [day for day, _, _ in result["table"]] == [ago(0), ago(89)]
    assert "2025-01-01" in result["svg"] and "2025-03-31" in result["svg"]  # first/last date


def test_svg_is_xml_with_title_patterns_and_legend():
    """The SVG parses, has a title/desc, one pattern per series and legend text with totals."""
    result = intakes_chart(ROWS, today=TODAY, top=3)
    svg = result["svg"]
    root = ET.fromstring(svg)
    assert root.get("viewBox") == "0 0 720 220"
    assert root.get("width") == "100%" and root.get("role") == "img"
    assert "Intakes per day" in root.find("s:title", NS).text
    assert "17 in total; Russia 8, Ukraine 4, Venezuela 2, Other 3" in root.find("s:desc", NS).text
    patterns = root.findall("s:defs/s:pattern", NS)
    assert [p.get("id") for p in patterns] == ["ic-p0", "ic-p1", "ic-p2", "ic-p3"]
    texts = {t.text for t in root.iter(TEXT)}
    assert {"Russia 8", "Ukraine 4", "Venezuela 2", "Other 3"} <= texts
    assert {"0", "7"} <= texts  # y axis: zero and the largest day total
    assert "2025-03" in texts  # month start
    assert (
        "style=" not in svg
        and "<script" not in svg
        and "http" not in svg.replace('xmlns="http://www.w3.org/2000/svg"', "")
    )


def test_one_bar_per_day_with_intakes():
    """Each day with intakes gets a group of stacked rects, one per series present that day."""
    root = ET.fromstring(intakes_chart(ROWS, today=TODAY, top=3)["svg"])
    bars = [g for g in root.findall("s:g", NS) if g.find("s:rect", NS) is not None]
    day_bars = [g for g in bars if g.find("s:title", NS).text.startswith("2025-")]
    assert len(day_bars) == 5
    assert len(day_bars[1].findall("s:rect", NS)) == 2  # Russia + Ukraine on ago(1)


def test_unrecognised_code_cannot_inject_markup():
    """An unrecognised code is shown as-is but escaped, so it cannot add tags."""
    rows = [(ago(0), "<script>alert(1)</script>", 3), (ago(0), "XX", 1)]
    svg = intakes_chart(rows, today=TODAY)["svg"]
    ET.fromstring(svg)
    assert "<script" not in svg.lower()
    assert "&lt;SCRIPT&gt;" in svg


def test_country_name_with_markup_is_escaped(monkeypatch):
    """Even a country name containing markup characters is escaped everywhere."""
    monkeypatch.setattr(charts.countries, "name", lambda code: '<script>"x" & </svg>')
    svg = intakes_chart([(ago(0), "RU", 1)], today=TODAY)["svg"]
    root = ET.fromstring(svg)
    assert "<script" not in svg and svg.count("</svg>") == 1
    assert '<script>"x" & </svg> 1' in {t.text for t in root.iter(TEXT)}


def test_empty_input():
    """No rows (or none in the window) gives a small valid SVG and empty series/table."""
    for rows in ([], [(ago(200), "RU", 4)]):
        result = intakes_chart(rows, today=TODAY)
        assert result["series"] == [] and result["table"] == []
        root = ET.fromstring(result["svg"])
        assert "No intakes in the last 90 days" in result["svg"]
        assert root.find("s:title", NS) is not None
