"""Password rules beyond Django's own validators."""

import string

from django.core.exceptions import ValidationError
from django.utils.translation import ngettext


class CharacterClassesValidator:
    """At least `min_classes` of: lower-case letters, upper-case letters, digits, other characters."""

    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    def validate(self, password: str, user=None) -> None:
        classes = (
            any(c.islower() for c in password),
            any(c.isupper() for c in password),
            any(c in string.digits for c in password),
            any(not c.isalnum() for c in password),
        )
        if sum(classes) < self.min_classes:
            raise ValidationError(self.get_help_text(), code="password_too_simple")

    def get_help_text(self) -> str:
        return ngettext(
            "Mật khẩu phải có ít nhất %(n)d loại ký tự: chữ thường, chữ hoa, chữ số, ký tự đặc biệt.",
            "Mật khẩu phải có ít nhất %(n)d trong bốn loại ký tự: chữ thường, chữ hoa, chữ số, ký tự đặc biệt.",
            self.min_classes,
        ) % {"n": self.min_classes}
