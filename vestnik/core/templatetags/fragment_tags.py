"""`{% fragment "name" part … %}…{% endfragment %}`: a piece of a page kept in `core.fragments`.

The parts name what the enclosed HTML depends on beyond the content generation
and the language, e.g. `{% fragment "article-body" page.pk page.live_revision_id request.path %}`.
"""

from __future__ import annotations

from django import template
from django.template.base import FilterExpression, NodeList, Parser, Token
from django.utils.safestring import SafeString

from vestnik.core.fragments import cached_fragment

register = template.Library()


class FragmentNode(template.Node):
    def __init__(self, name: FilterExpression, parts: list[FilterExpression], nodelist: NodeList):
        self.name = name
        self.parts = parts
        self.nodelist = nodelist

    def render(self, context: template.Context) -> SafeString:
        name = str(self.name.resolve(context))
        parts = [part.resolve(context) for part in self.parts]
        return cached_fragment(
            name,
            parts,
            lambda: self.nodelist.render(context),
            request=context.get("request"),
        )


@register.tag("fragment")
def fragment(parser: Parser, token: Token) -> FragmentNode:
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("{% fragment %} needs a name")
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    return FragmentNode(
        parser.compile_filter(bits[1]), [parser.compile_filter(bit) for bit in bits[2:]], nodelist
    )
