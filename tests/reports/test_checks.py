"""The deployment check that PDF fonts are subset by HarfBuzz, not by WeasyPrint's slower fontTools path."""

from reports.checks import font_subsetting


def test_no_warning_with_harfbuzz_subsetting(monkeypatch):
    import weasyprint.text.ffi as ffi

    monkeypatch.setattr(ffi, "harfbuzz_subset", object())
    assert font_subsetting() == []


def test_warns_when_fonts_would_be_subset_by_fonttools(monkeypatch):
    import weasyprint.text.ffi as ffi

    monkeypatch.setattr(ffi, "harfbuzz_subset", None)
    (warning,) = font_subsetting()
    assert warning.id == "reports.W001" and "libharfbuzz-subset0" in warning.hint
