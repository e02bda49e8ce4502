"""Small security helpers named in the settings."""

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """The client's address for login throttling: nginx's X-Real-IP when the portal sits behind it (nginx
    overwrites whatever the client sent), else the socket's address."""
    if settings.BEHIND_PROXY:
        real = request.META.get("HTTP_X_REAL_IP", "").strip()
        if real:
            return real
    return request.META.get("REMOTE_ADDR", "")
