"""A stock Wagtail article, installed only by `bench/settings.py`: the benchmark's fair baseline.

What a Wagtail site without Vestnik's features pays for the same article: a
`RichTextField` body (headings, paragraphs, plain superscript links to a list
of notes at the end, the image as an embed) rendered by a plain template.
Never part of `vestnik/settings`; the site itself knows nothing of it.
"""
