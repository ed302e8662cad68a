"""The data sheet as a PDF, drawn on our own server with ReportLab: a page per part of the
form, each value beside its part and item number, continued lists under the supplement
they go on, and the declaration draft after them when asked.

The font is DejaVu Sans shipped in cases/fonts (with its licence): the Cyrillic of a native
name or the client's words renders, and nothing is fetched at run time. Everything a client
typed is escaped before ReportLab's paragraph markup reads it."""

from functools import lru_cache
from io import BytesIO
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from . import EDITION
from .items import mdy

FONTS = Path(__file__).resolve().parent.parent / "fonts"
ITEM_WIDTHS = [1.3 * inch, 2.3 * inch, 3.4 * inch]


@lru_cache(maxsize=1)
def _styles() -> dict:
    pdfmetrics.registerFont(TTFont("DejaVuSans", FONTS / "DejaVuSans.ttf"))
    pdfmetrics.registerFont(TTFont("DejaVuSans-Bold", FONTS / "DejaVuSans-Bold.ttf"))
    pdfmetrics.registerFontFamily("DejaVuSans", normal="DejaVuSans", bold="DejaVuSans-Bold")
    base = ParagraphStyle("body", fontName="DejaVuSans", fontSize=9, leading=12)
    return {
        "body": base,
        "small": ParagraphStyle("small", parent=base, fontSize=7.5, leading=9.5),
        "h1": ParagraphStyle("h1", parent=base, fontName="DejaVuSans-Bold", fontSize=14,
                             leading=18, spaceAfter=6),
        "h2": ParagraphStyle("h2", parent=base, fontName="DejaVuSans-Bold", fontSize=11,
                             leading=14, spaceBefore=6, spaceAfter=4),
    }  # fmt: skip


def _p(text, style="body") -> Paragraph:
    return Paragraph(escape(str(text or "")).replace("\n", "<br/>"), _styles()[style])


def _grid(rows, widths, header=True) -> Table:
    # A list's headings repeat on each page it runs over; a part's items have none.
    table = Table(rows, colWidths=widths, repeatRows=1 if header else 0)
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
        *([("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke)] if header else []),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]))  # fmt: skip
    return table


def _list_table(item, rows) -> Table:
    head = [_p(heading, "small") for _, heading in item.columns]
    body = [[_p(row.get(key, ""), "small") for key, _ in item.columns] for row in rows]
    width = 7.0 * inch / len(item.columns)
    return _grid([head, *body], [width] * len(item.columns))


def _part_flowables(title, items) -> list:
    flow = [_p(title, "h2")]
    scalars, continued = [], []
    for item in items:
        if item.is_list:
            if scalars:
                flow.append(_grid(scalars, ITEM_WIDTHS, header=False))
                scalars = []
            flow += [Spacer(1, 4), _p(f"{item.place}: {item.label}")]
            flow.append(_list_table(item, item.rows_on_form) if item.rows_on_form
                        else _p("None given."))  # fmt: skip
            if item.rows_continued:
                continued.append(item)
            flow.append(Spacer(1, 4))
            continue
        supplement = f" (Supplement {item.supplement})" if item.continued else ""
        scalars.append([_p(f"{item.place}{supplement}", "small"), _p(item.label, "small"),
                        _p(item.value or "—")])  # fmt: skip
    if scalars:
        flow.append(_grid(scalars, ITEM_WIDTHS, header=False))
    for item in continued:
        flow += [Spacer(1, 6), _p(f"Supplement {item.supplement}: Part {item.part}, item "
                                  f"{item.number} continued", "h2")]  # fmt: skip
        flow.append(_list_table(item, item.rows_continued))
    return flow


def sheet_pdf(sheet, declaration=None) -> bytes:
    buffer = BytesIO()
    title = f"I-589 data sheet {sheet.case_reference}"
    doc = SimpleDocTemplate(buffer, pagesize=LETTER, title=title,
                            leftMargin=0.75 * inch, rightMargin=0.75 * inch,
                            topMargin=0.6 * inch, bottomMargin=0.6 * inch)  # fmt: skip
    flow = [_p(f"I-589 data sheet: {sheet.case_reference}", "h1"),
            _p(f"Prepared {mdy(sheet.prepared_on)} from the firm's records, numbered as Form "
               f"I-589 edition {EDITION}. A working copy for the attorney, not the form.",
               "small")]  # fmt: skip
    if sheet.merged_into:
        flow.append(_p(f"This case was merged into {sheet.merged_into}: prepare the "
                       "application from that case.", "h2"))  # fmt: skip
    if not sheet.with_narrative:
        flow.append(_p("The explanations of Parts B and C are left out: they are for users "
                       "who may read the client's account.", "small"))  # fmt: skip
    for index, (_, title, items) in enumerate(sheet.parts):
        if index:
            flow.append(PageBreak())
        flow += _part_flowables(title, items)
    if declaration:
        flow += [PageBreak(), _p("Declaration draft", "h1"),
                 _p("The client's own words beside the firm's English translation, under the "
                    "I-589's questions, for the attorney to edit.", "small")]  # fmt: skip
        for section in declaration:
            flow.append(_p(f"{section.key}: {section.question}", "h2"))
            rows = [[_p("Client's own words", "small"), _p("English translation", "small")]]
            for passage in section.passages:
                rows.append([_p(f"{passage.label}:\n{passage.original}"),
                             _p(passage.english)])  # fmt: skip
            flow.append(_grid(rows, [3.5 * inch, 3.5 * inch]))
    doc.build(flow, onFirstPage=_footer, onLaterPages=_footer)
    return buffer.getvalue()


def _footer(canvas, doc):
    canvas.saveState()
    canvas.setFont("DejaVuSans", 7)
    canvas.drawString(0.75 * inch, 0.35 * inch,
                      f"{doc.title} · page {doc.page} · confidential: attorney work product")
    canvas.restoreState()
