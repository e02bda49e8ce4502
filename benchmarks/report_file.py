"""Build one report file in a fresh process and print its timings and peak memory as JSON.

Run by benchmarks.run as `python -m benchmarks.report_file annual|national|national_programme pdf|xlsx
<year> [<province id>]` (the province only for "annual"): a process of its own, so the peak resident memory
(ru_maxrss) is that of one report, not of the whole benchmark.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time


def main() -> None:
    kind, fmt, year = sys.argv[1], sys.argv[2], int(sys.argv[3])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "khuyencong.settings.dev")
    import django

    django.setup()
    from places.models import AdministrativeUnit
    from reports import exports, pdf, selectors, xlsx
    from reports.periods import Period

    baseline_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    province = AdministrativeUnit.objects.get(pk=int(sys.argv[4])) if kind == "annual" else None
    started = time.perf_counter()
    if kind == "annual":
        report = selectors.annual_report(province=province, period=Period(year))
        build_pdf, build_xlsx = pdf.annual_pdf, xlsx.annual_xlsx
    elif kind == "national":
        report = selectors.national_report(period=Period(year))
        build_pdf, build_xlsx = pdf.national_pdf, xlsx.national_xlsx
    else:
        report = selectors.national_programme_report(year=year)
        build_pdf, build_xlsx = pdf.national_programme_pdf, xlsx.national_programme_xlsx
    aggregated = time.perf_counter()
    if fmt == "pdf":
        content = build_pdf(report)
    else:
        content = build_xlsx(report, issuer=exports._issuer(province))
    built = time.perf_counter()
    from weasyprint.text.ffi import harfbuzz_subset

    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        json.dumps(
            {
                "aggregate_ms": (aggregated - started) * 1000,
                "build_ms": (built - aggregated) * 1000,
                "total_ms": (built - started) * 1000,
                "peak_mb": peak_kb / 1024,
                "baseline_mb": baseline_kb / 1024,
                "bytes": len(content),
                # Without libharfbuzz-subset0 WeasyPrint subsets the fonts with fontTools: ~12 % of a PDF's time.
                "font_subsetter": "harfbuzz" if harfbuzz_subset is not None else "fonttools",
            }
        )
    )


if __name__ == "__main__":
    main()
