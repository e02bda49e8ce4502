"""Links inside the public section keep the reader's language (`?lang=en`), so each address is cacheable."""

from django import template
from django.urls import reverse
from django.utils.http import urlencode

register = template.Library()


@register.simple_tag(takes_context=True)
def purl(context, name: str, *args, **query):
    """`{% purl 'public:province' code year nam=2024 %}`: the address, with the page's language kept."""
    url = reverse(name, args=args)
    lang = getattr(context.get("request"), "public_lang", "vi")
    params = {k: v for k, v in query.items() if v not in (None, "")}
    if lang != "vi":
        params["lang"] = lang
    return f"{url}?{urlencode(params)}" if params else url


@register.simple_tag(takes_context=True)
def switch_lang(context, lang: str):
    """The current address in the other language."""
    request = context["request"]
    params = request.GET.copy()
    if lang == "vi":
        params.pop("lang", None)
    else:
        params["lang"] = lang
    query = params.urlencode()
    return f"{request.path}?{query}" if query else request.path
