"""The report pack as a PDF with Chinese text and charts (A3.1), drawn by core.pdf.

Call inside `translation.override(pack.language)`. Charts are ReportLab graphics drawn with
the document's CJK font (decision 0008), so segment names in Chinese render in charts too.
"""

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib.colors import HexColor
from reportlab.lib.units import mm

from salesdesk.analytics.metrics import metric_get
from salesdesk.core import pdf
from salesdesk.core.pdfdoc import layout
from salesdesk.core.pdfdoc.fonts import font_for
from salesdesk.reports import formatting as fmt
from salesdesk.reports import rules
from salesdesk.reports.tables import BREAKDOWN_TITLES, TOP_TITLES, kind_title

COLOURS = (HexColor("#2f6db5"), HexColor("#e08a2c"))
CHART_HEIGHT = 62 * mm
MAX_BARS = 10


@dataclass(frozen=True)
class BarChart:
    """A bar chart block: one or two series over labelled categories."""

    title: Any
    labels: list[str]
    series: list[tuple[str, list[float]]]
    horizontal: bool = False


def _thousands(value: float) -> str:
    return f"{value:,.0f}"


def _chart(block: BarChart, ctx: layout.Context) -> list:
    font = font_for(ctx.variant)
    height = (22 + 8 * len(block.labels)) * mm if block.horizontal else CHART_HEIGHT
    drawing = Drawing(ctx.width, height)
    chart = HorizontalBarChart() if block.horizontal else VerticalBarChart()
    left = 38 * mm if block.horizontal else 22 * mm
    chart.x, chart.y = left, 14 * mm if not block.horizontal else 8 * mm
    chart.width = ctx.width - left - 6 * mm
    chart.height = height - chart.y - 10 * mm
    chart.data = [values or [0] for _name, values in block.series]
    chart.categoryAxis.categoryNames = block.labels or [""]
    chart.categoryAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = 7
    chart.valueAxis.labels.fontName = font
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.forceZero = True
    chart.valueAxis.labelTextFormat = _thousands
    if not block.horizontal:
        chart.categoryAxis.labels.angle = 30
        chart.categoryAxis.labels.boxAnchor = "ne"
    for index, colour in enumerate(COLOURS[: len(block.series)]):
        chart.bars[index].fillColor = colour
    drawing.add(chart)
    drawing.add(String(0, height - 5 * mm, str(block.title), fontName=font, fontSize=9))
    if len(block.series) > 1:
        legend = Legend()
        legend.fontName, legend.fontSize = font, 7
        legend.x, legend.y = ctx.width - 75 * mm, height - 3 * mm
        legend.alignment = "right"
        legend.columnMaximum = 1
        legend.colorNamePairs = [
            (COLOURS[i], name) for i, (name, _values) in enumerate(block.series)
        ]
        drawing.add(legend)
    return [drawing]


layout.register_block(BarChart, _chart)


def _summary_table(summary: dict) -> pdf.Table:
    rows = []
    for row in summary.get("metrics", []):
        unit = row["unit"]
        rows.append(
            [
                str(metric_get(row["metric"]).label),
                fmt.value(unit, row["value"]),
                fmt.value(unit, row["previous"]),
                fmt.change(unit, row["change_previous"]),
                fmt.value(unit, row["year_ago"]),
                fmt.change(unit, row["change_year"]),
            ]
        )
    headers = [
        _("Metric"),
        _("This period"),
        _("Previous period"),
        _("vs previous period"),
        _("Same period last year"),
        _("vs same period last year"),
    ]
    return pdf.Table(headers=headers, rows=rows, col_widths=[3, 2, 2, 1.3, 2, 1.3])


def _problem_blocks(problems: list[dict]) -> list:
    if not problems:
        return [pdf.Paragraph(_("No rule found a problem in this period."))]
    blocks: list = []
    for problem in problems:
        head = f"[{rules.severity_label(problem)}] {rules.rule_label(problem)}: "
        blocks.append(pdf.Paragraph((pdf.Emphasis(head), rules.finding_text(problem)), bullet="•"))
        suggestion = _("Suggested action: %(action)s") % {"action": rules.action_text(problem)}
        blocks.append(pdf.Paragraph(suggestion, indent=1))
    return blocks


def _breakdown_table(rows: list[dict], *, named: bool = False) -> pdf.Table:
    headers = [_("Segment")]
    if named:
        headers.append(_("Name"))
    headers += [
        _("Revenue"),
        _("Previous period"),
        _("vs previous period"),
        _("Gross margin"),
        _("Gross margin rate"),
        _("Share"),
    ]
    body = []
    for row in rows:
        cells = [fmt.segment(row["key"])]
        if named:
            cells.append(row.get("name", ""))
        cells += [
            fmt.money(row["revenue"]),
            fmt.money(row["previous"]),
            fmt.growth(row["change"]),
            fmt.money(row["gross_margin"]),
            fmt.percent(row["gross_margin_rate"]),
            fmt.percent(row["share"]),
        ]
        body.append(cells)
    if not body:
        body = [[_("No sales in this period."), *[""] * (len(headers) - 1)]]
    return pdf.Table(headers=headers, rows=body)


def _charts(content: dict) -> list:
    trend = content.get("trend", [])
    labels = [row["month"][:7] for row in trend]
    blocks: list = [
        BarChart(
            _("Revenue and gross margin by month (trailing 12 months)"),
            labels,
            [
                (_("Revenue"), [float(row["revenue"]) for row in trend]),
                (_("Gross margin"), [float(row["gross_margin"]) for row in trend]),
            ],
        )
    ]
    for dimension, title in (
        ("region", _("Revenue by region")),
        ("category", _("Revenue by category")),
    ):
        rows = content.get("breakdowns", {}).get(dimension, [])[:MAX_BARS]
        rows = list(reversed(rows))  # the largest bar on top
        blocks.append(pdf.Spacer(4))
        blocks.append(
            BarChart(
                title,
                [fmt.segment(row["key"]) for row in rows],
                [(_("Revenue"), [float(row["revenue"]) for row in rows])],
                horizontal=True,
            )
        )
    return blocks


def pack_document(pack: Any) -> pdf.Document:
    """The pack's PDF document: summary, problems and actions, charts, breakdowns, top 10."""
    content = pack.content
    blocks: list = [
        pdf.Heading(_("Performance summary")),
        _summary_table(pack.summary),
        pdf.Heading(_("Problems found and suggested actions")),
        *_problem_blocks(pack.problems),
        pdf.Heading(_("Charts")),
        *_charts(content),
    ]
    for dimension, title in BREAKDOWN_TITLES.items():
        blocks += [pdf.Heading(str(title), level=2)]
        blocks.append(_breakdown_table(content.get("breakdowns", {}).get(dimension, [])))
    for dimension, title in TOP_TITLES.items():
        blocks += [pdf.Heading(str(title), level=2)]
        blocks.append(_breakdown_table(content.get("top", {}).get(dimension, []), named=True))
    return pdf.Document(
        title=kind_title(pack.kind, pack.period_label),
        subtitle=_("%(start)s to %(end)s")
        % {"start": pack.period_start.isoformat(), "end": pack.period_end.isoformat()},
        meta=[
            (_("Version"), str(pack.version)),
            (_("Previous period"), pack.summary.get("previous", "")),
            (_("Same period last year"), pack.summary.get("year_ago", "")),
            (_("Problems found"), str(len(pack.problems))),
        ],
        blocks=blocks,
        footer=_("Figures as defined in the metric catalogue; revenue excludes tax."),
        variant=pdf.variant_for_language(pack.language),
    )


def pack_pdf(pack: Any) -> bytes:
    return pdf.render(pack_document(pack))
