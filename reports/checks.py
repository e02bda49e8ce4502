"""Deployment checks of the report files (`manage.py check --deploy`)."""

from __future__ import annotations

from django.core import checks
from django.utils.translation import gettext as _


@checks.register(checks.Tags.compatibility, deploy=True)
def font_subsetting(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """WeasyPrint cuts the embedded fonts down to the glyphs a PDF uses with HarfBuzz when its subsetting
    library is installed, and with fontTools otherwise: a tenth of every PDF's build time (about 0,3 s for the
    national programme's report) and a path WeasyPrint is dropping."""
    from weasyprint.text.ffi import harfbuzz_subset

    if harfbuzz_subset is not None:
        return []
    return [
        checks.Warning(
            _(
                "Chưa cài libharfbuzz-subset0: WeasyPrint cắt phông chữ của tệp PDF bằng fontTools, mọi báo cáo "
                "PDF dựng chậm hơn khoảng 12%."
            ),
            hint=_("Cài gói libharfbuzz-subset0 (make system-deps; docs/deploy.md)."),
            id="reports.W001",
        )
    ]
