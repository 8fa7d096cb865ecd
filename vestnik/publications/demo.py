"""Real PDFs for the demo's publications, rendered from HTML by WeasyPrint.

`load_demo` needs publications whose files behave like an editor's upload:
several pages, extractable text, a page count. WeasyPrint is imported only
when a PDF is made, as in `articles.pdf`; nothing is fetched from the network
(the HTML has no external resources).
"""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.html import escape

_CSS = """
@page { size: A5; margin: 18mm 16mm; @bottom-center { content: counter(page); font-size: 9pt; } }
body { font-family: serif; font-size: 11pt; line-height: 1.45; }
h1 { font-size: 18pt; margin: 0 0 12mm; page-break-after: always; }
h2 { font-size: 13pt; margin: 0 0 6mm; break-before: page; }
p { margin: 0 0 4mm; text-align: justify; }
"""


# A chapter: its heading and its paragraphs; each starts on a new page, as in a report.
Chapter = tuple[str, Sequence[str]]


def demo_html(title: str, paragraphs: Sequence[str], chapters: Sequence[Chapter] = ()) -> str:
    body = "".join(f"<p>{escape(paragraph)}</p>" for paragraph in paragraphs)
    for heading, chapter_paragraphs in chapters:
        body += f"<h2>{escape(heading)}</h2>"
        body += "".join(f"<p>{escape(paragraph)}</p>" for paragraph in chapter_paragraphs)
    return (
        '<!DOCTYPE html><html lang="ru"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title><style>{_CSS}</style></head>"
        f"<body><h1>{escape(title)}</h1>{body}</body></html>"
    )


def demo_pdf(title: str, paragraphs: Sequence[str], chapters: Sequence[Chapter] = ()) -> bytes:
    """A PDF with the title on its own first page, the paragraphs after it, then
    each chapter from a new page."""
    from weasyprint import HTML  # heavy; only the demo and tests make these

    pdf: bytes = HTML(string=demo_html(title, paragraphs, chapters)).write_pdf()
    return pdf
