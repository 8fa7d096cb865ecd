"""One module per demo article, each defining ARTICLE."""
