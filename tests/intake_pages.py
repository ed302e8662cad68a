"""Reading the wizard's pages as a client's browser gets them: forms rendered as the step
templates render them (`{% crispy form %}`), and elements found by tag and attributes."""

from crispy_forms.utils import render_crispy_form
from django.test.html import Element, parse_html


def rendered(form) -> str:
    """The form's questions as a step page shows them (its crispy helper, no <form> tag)."""
    return render_crispy_form(form)


def elements(html: str, tag: str, attrs: dict | None = None) -> list[Element]:
    """Every `tag` element of `html` that has each of `attrs` with exactly that value."""
    wanted = attrs or {}
    found = []

    def visit(node):
        have = dict(node.attributes)
        if node.name == tag and all(k in have and have[k] == v for k, v in wanted.items()):
            found.append(node)
        for child in node.children:
            if not isinstance(child, str):
                visit(child)

    visit(parse_html(html))
    return found


def the(html: str, tag: str, attrs: dict) -> Element:
    """The one `tag` element with these attributes."""
    found = elements(html, tag, attrs)
    assert len(found) == 1, (tag, attrs, len(found))
    return found[0]


def text(node) -> str:
    """What a reader sees of an element: its text, markup removed, spaces collapsed."""
    if isinstance(node, str):
        return node
    return " ".join(" ".join(text(child) for child in node.children).split())


def classes(node: Element) -> set[str]:
    return set((dict(node.attributes).get("class") or "").split())
