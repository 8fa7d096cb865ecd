"""Text helpers: the text nodes of an HTML fragment."""

from __future__ import annotations

import pytest

from vestnik.core.text import html_text_spans


def texts(html: str) -> list[str]:
    return [html[start:end] for start, end in html_text_spans(html)]


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ("plain", ["plain"]),
        ("<p>a <a href=\"/x>y\" title='b>c'>link</a> d</p>", ["a ", "link", " d"]),
        ("<p>a<br/>b<br>c</p>", ["a", "b", "c"]),
        ("<p>1 < 2 &amp; 3 <- 4</p>", ["1 < 2 &amp; 3 <- 4"]),
        ("<!-- <p>x</p> -->after", ["after"]),
        ("a<script>if (a<b) x = '</p>';</script>b", ["a", "b"]),
        ("<style>p>a{}</style>z", ["z"]),
        ('<a title=x"y href=/q>text</a>', ["text"]),
        ("<a href='it\"s>'>q</a>", ["q"]),
        ("<!DOCTYPE html><?pi x?>t</ >u", ["t", "u"]),
        ('<p>unclosed <a href="x', ["unclosed "]),
        ('<P CLASS="A">Upper</P>', ["Upper"]),
        ('a\n<b\nclass="x"\n>b\n</b>', ["a\n", "b\n"]),
    ],
)
def test_html_text_spans(html: str, expected: list[str]) -> None:
    assert texts(html) == expected
