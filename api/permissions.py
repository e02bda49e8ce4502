"""What a key may do: read within its province (or nationally), write only with read-write access."""

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import SAFE_METHODS, BasePermission

from .models import ApiToken


class TokenScope(BasePermission):
    message = _("Khóa API này chỉ được đọc; ghi cần khóa đọc và ghi của một tỉnh.")

    def has_permission(self, request, view) -> bool:
        token = request.auth
        if not isinstance(token, ApiToken) or not token.is_active:
            return False
        return request.method in SAFE_METHODS or token.can_write
