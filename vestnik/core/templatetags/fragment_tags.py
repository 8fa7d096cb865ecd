"""`{% fragment "name" part … %}…{% endfragment %}`: a piece of a page kept in `core.fragments`.

The parts name what the enclosed HTML depends on beyond the content generation
and the language, e.g. `{% fragment "article-body" page.pk page.live_revision_id request.path %}`.
A last bit `any_query` marks HTML that no query string can change (the menu):
it is kept for requests with any query string too (`fragments.cached`).
"""

from __future__ import annotations

from django import template
from django.template.base import FilterExpression, NodeList, Parser, Token
from django.utils.safestring import SafeString

from vestnik.core.fragments import cached_fragment

register = template.Library()


class FragmentNode(template.Node):
    def __init__(
        self,
        name: FilterExpression,
        parts: list[FilterExpression],
        nodelist: NodeList,
        *,
        any_query: bool = False,
    ):
        self.name = name
        self.parts = parts
        self.nodelist = nodelist
        self.any_query = any_query

    def render(self, context: template.Context) -> SafeString:
        name = str(self.name.resolve(context))
        parts = [part.resolve(context) for part in self.parts]
        return cached_fragment(
            name,
            parts,
            lambda: self.nodelist.render(context),
            request=context.get("request"),
            any_query=self.any_query,
        )


@register.tag("fragment")
def fragment(parser: Parser, token: Token) -> FragmentNode:
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("{% fragment %} needs a name")
    any_query = bits[-1] == "any_query"
    if any_query:
        bits = bits[:-1]
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    return FragmentNode(
        parser.compile_filter(bits[1]),
        [parser.compile_filter(bit) for bit in bits[2:]],
        nodelist,
        any_query=any_query,
    )
