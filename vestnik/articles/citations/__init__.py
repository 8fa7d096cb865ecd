"""Citing articles: «Как цитировать» (GOST R 7.0.100-2018, APA 7), BibTeX, RIS and
CSL-JSON downloads, and the parsing of bibliographic footnotes into references.

`records` gathers what a citation says about an article; `styles` and `formats`
only format a record, so each style and format is tested without a database.
"""
