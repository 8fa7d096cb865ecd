"""OAI-PMH 2.0 at /oai/: the archive's articles and publications for scholarly harvesters.

`protocol` parses requests, `tokens` signs resumption tokens, `selectors`
reads records and sets, `responses` writes the XML, `views` answers the verbs,
`services` keeps the tombstones of pages that left the public. docs/oai.md.
"""

from vestnik.api.oai.views import endpoint

__all__ = ["endpoint"]
