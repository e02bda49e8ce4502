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


@register.filter
def dong_stated(value, prefix="") -> str:
    """{{ amount|dong_stated:"trên" }} -> "trên 1.144.000.000": a figure with the word it was stated with."""
    text = dong(value)
    return f"{prefix} {text}" if prefix and value else text


@register.filter
def in_words_stated(value, prefix="") -> str:
    """{{ amount|in_words_stated:"trên" }} -> "Trên một tỷ một trăm bốn mươi bốn triệu đồng"."""
    return money.amount_in_words(int(value or 0), prefix=prefix)
