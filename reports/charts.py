"""Charts drawn as SVG on the server: the same picture in the PDF and on the dashboard, no JavaScript."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from django.utils.safestring import SafeString, mark_safe

from khuyencong.money import format_dong

# Colours readable in print and by people with the common colour-vision deficiencies (Okabe–Ito).
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00"]
FONT = "'Liberation Serif', serif"  # the PDF's bundled font
WEB_FONT = "'Noto Sans', sans-serif"  # the portal's own font on screen


@dataclass(frozen=True)
class Series:
    label: str
    values: list[int]
    color: str = ""
    prefixes: list[str] | None = None  # the word each value was stated with ("trên"), if any


def _short_amount(value: int) -> str:
    """Compact label beside a bar: "1,79 tỷ", "312,7 tr", "0"."""
    if value >= 1_000_000_000:
        return f"{value / 1_000_000_000:.2f}".rstrip("0").rstrip(".").replace(".", ",") + " tỷ"
    if value >= 1_000_000:
        return f"{value / 1_000_000:.1f}".rstrip("0").rstrip(".").replace(".", ",") + " tr"
    return format_dong(value)


def grouped_hbar(
    categories: list[str],
    series: list[Series],
    *,
    title: str,
    width: int = 680,
    label_width: int = 230,
    bar_height: int = 13,
    money: bool = True,
    font: str = FONT,
) -> SafeString:
    """Horizontal bars, one group per category and one bar per series, with a legend and value labels.

    Nothing at all when every value is zero: an empty chart says less than the table beside it."""
    if not any(v for s in series for v in s.values):
        return mark_safe("")
    gap, group_gap, top = 2, 12, 46 if len(series) > 1 else 28
    n = max(1, len(series))
    group_h = n * bar_height + (n - 1) * gap
    height = top + len(categories) * (group_h + group_gap) + 8
    plot_w = width - label_width - 80
    peak = max([v for s in series for v in s.values] + [1])
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="{escape(title)}" '
        f'font-family="{font}" font-size="13">',
        f"<title>{escape(title)}</title>",
        f'<text x="0" y="15" font-size="15" font-weight="bold">{escape(title)}</text>',
    ]
    x = 0
    for i, s in enumerate(series if len(series) > 1 else []):
        color = s.color or PALETTE[i % len(PALETTE)]
        parts.append(f'<rect x="{x}" y="24" width="10" height="10" fill="{color}"/>')
        parts.append(f'<text x="{x + 14}" y="34">{escape(s.label)}</text>')
        x += 24 + 8 * len(s.label)
    y = top
    for ci, category in enumerate(categories):
        label = category if len(category) <= 34 else category[:33] + "…"
        parts.append(
            f'<text x="{label_width - 6}" y="{y + group_h / 2 + 4:.1f}" text-anchor="end">{escape(label)}</text>'
        )
        for si, s in enumerate(series):
            value = s.values[ci] if ci < len(s.values) else 0
            color = s.color or PALETTE[si % len(PALETTE)]
            w = plot_w * value / peak if value else 0
            by = y + si * (bar_height + gap)
            prefix = s.prefixes[ci] if s.prefixes and ci < len(s.prefixes) else ""
            stated = f"{prefix} {format_dong(value)}" if prefix else format_dong(value)
            parts.append(
                f'<rect x="{label_width}" y="{by}" width="{w:.1f}" height="{bar_height}" fill="{color}">'
                f"<title>{escape(s.label)}: {escape(stated)}</title></rect>"
            )
            if not value:
                continue  # a bar of nothing needs no label; the table beside it says 0
            text = _short_amount(value) if money else format_dong(value)
            if prefix:
                text = f"{escape(prefix)} {text}"
            parts.append(
                f'<text x="{label_width + w + 4:.1f}" y="{by + bar_height - 1}" font-size="11">{text}</text>'
            )
        y += group_h + group_gap
    parts.append(
        f'<line x1="{label_width}" y1="{top - 4}" x2="{label_width}" y2="{y - group_gap + 4}" '
        'stroke="#444" stroke-width="0.8"/>'
    )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text piece above is escaped


def source_chart(rows, *, title: str, labels: dict[str, str], font: str = FONT) -> SafeString:
    """Money by funding source: planned, allocated, disbursed, settled."""
    rows = [r for r in rows if r.planned or r.allocated or r.disbursed or r.settled] or rows
    return grouped_hbar(
        [r.short_name or r.name for r in rows],
        [
            Series(labels["planned"], [r.planned for r in rows]),
            Series(
                labels["allocated"],
                [r.allocated for r in rows],
                prefixes=[getattr(r, "allocated_prefix", "") for r in rows],
            ),
            Series(labels["disbursed"], [r.disbursed for r in rows]),
            Series(labels["settled"], [r.settled for r in rows]),
        ],
        title=title,
        font=font,
    )


def content_chart(rows, *, title: str, label: str) -> SafeString:
    rows = [r for r in rows if r.number is not None]
    return grouped_hbar(
        [f"{r.number}. {r.short_name or r.name}" for r in rows],
        [Series(label, [r.planned for r in rows], PALETTE[0])],
        title=title,
        bar_height=12,
    )
