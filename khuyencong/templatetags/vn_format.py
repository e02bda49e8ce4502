"""Template filters: money in đồng the Vietnamese way, in one place."""

from django import template

from khuyencong import money

register = template.Library()


@register.filter
def dong(value) -> str:
    """{{ amount|dong }} -> "1.791.000.000"."""
    return money.format_dong(None if value in (None, "") else int(value))


@register.filter
def dong_unit(value) -> str:
    """{{ amount|dong_unit }} -> "1.791.000.000 đồng"."""
    return money.format_dong(None if value in (None, "") else int(value), unit=True)


@register.filter
def ty(value) -> str:
    """{{ amount|ty }} -> "15,94 tỷ đồng"."""
    return money.format_ty(None if value in (None, "") else int(value))


@register.filter
def in_words(value) -> str:
    return money.amount_in_words(int(value or 0))
