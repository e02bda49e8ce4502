"""Errors as RFC 9457 problem details: an English `title`, a Vietnamese `detail`, the status, and per-field
`errors` when a body was refused. Every error of the API, including Django's own 404 and 500, has this shape."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

CONTENT_TYPE = "application/problem+json"

TITLES = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    406: "Not Acceptable",
    415: "Unsupported Media Type",
    429: "Too Many Requests",
    500: "Internal Server Error",
}


def _detail(status_code: int) -> str:
    return {
        400: _("Yêu cầu không hợp lệ; không có gì được ghi."),
        401: _("Cần khóa API hợp lệ (tiêu đề Authorization: Bearer <khóa>)."),
        403: _("Khóa API này không được phép thực hiện thao tác này."),
        404: _("Không tìm thấy."),
        405: _("Phương thức không được hỗ trợ ở địa chỉ này."),
        406: _("Không trả được định dạng yêu cầu; API trả JSON."),
        415: _("Nội dung gửi lên phải là JSON (Content-Type: application/json)."),
        429: _("Quá nhiều yêu cầu; hãy thử lại sau số giây trong tiêu đề Retry-After."),
        500: _("Lỗi máy chủ."),
    }.get(status_code, _("Yêu cầu không thực hiện được."))


def problem(status_code: int, detail: str | None = None, errors=None) -> dict:
    body = {
        "type": "about:blank",
        "title": TITLES.get(status_code, "Error"),
        "status": status_code,
        "detail": detail or _detail(status_code),
    }
    if errors:
        body["errors"] = errors
    return body


def _messages(error: DjangoValidationError):
    if hasattr(error, "error_dict"):
        return {field: [str(m) for m in errs.messages] for field, errs in error.error_dict.items()}
    return {"non_field_errors": [str(m) for m in error.messages]}


def handle(exc, context):
    """DRF's exception handler, with Django's validation and permission errors from the services mapped too."""
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(_messages(exc))
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    response = exception_handler(exc, context)
    if response is None:
        return None
    code = response.status_code
    detail = None
    errors = None
    if isinstance(exc, exceptions.ValidationError):
        errors = response.data
        detail = _detail(400)
    elif isinstance(exc, exceptions.ParseError):
        detail = _("Nội dung JSON không đọc được; không có gì được ghi.")
    elif isinstance(exc, exceptions.Throttled):
        detail = _detail(429)
    elif (
        isinstance(exc, exceptions.PermissionDenied)
        and exc.detail
        and str(exc.detail) != str(exceptions.PermissionDenied.default_detail)
    ):
        detail = str(exc.detail)
    response.data = problem(code, detail, errors)
    response.content_type = CONTENT_TYPE
    return response


@csrf_exempt
def not_found(request, exception=None):
    """Any address under /api/ that names nothing answers as the API does."""
    return JsonResponse(problem(status.HTTP_404_NOT_FOUND), status=404, content_type=CONTENT_TYPE)


def problem_response(code: int, detail: str | None = None) -> Response:
    return Response(problem(code, detail), status=code, content_type=CONTENT_TYPE)
