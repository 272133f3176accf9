"""The weekly KPIs as inline SVG, drawn on the server: no chart library, no script.

Two charts over the weeks in calendar order (oldest left): debt per week as bars (a week whose
overpaid drivers outweigh the rest goes below the zero line) with the number of drivers as a
line on its own scale; and paid beside expected per week. Every bar and point carries a
<title> with its exact figures (the browser's tooltip, read by screen readers); the page shows
the same numbers in a table under the charts. Amounts are Decimal; only the pixel positions
are turned into floats.
"""

from decimal import Decimal

from markupsafe import Markup, escape

from cobranza_pipeline.serving.rendering import count, money

WIDTH, HEIGHT = 720, 260
LEFT, RIGHT, TOP, BOTTOM = 84, 48, 14, 34
PLOT_W, PLOT_H = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
MAX_X_LABELS = 12


def _amount(week: dict, key: str) -> Decimal:
    return week[key] or Decimal(0)  # a week whose amounts are all NULL sums to NULL


class _Scale:
    """Amounts from low (<= 0) to high (>= 0) onto the plot's height, top to bottom."""

    def __init__(self, values: list[Decimal]):
        self.low = min([Decimal(0), *values])
        self.high = max([Decimal(0), *values])
        if self.high == self.low:
            self.high = self.low + 1

    def y(self, value: Decimal) -> float:
        return round(TOP + float((self.high - value) / (self.high - self.low)) * PLOT_H, 1)


def _frame(label: str, body: list[str]) -> Markup:
    return Markup(
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{escape(label)}" '
        f'preserveAspectRatio="xMidYMid meet">' + "".join(body) + "</svg>"
    )


def _axes(scale: _Scale, weeks: list[dict], slot: float) -> list[str]:
    parts = []
    for value in sorted({scale.high, Decimal(0), scale.low} if scale.low < 0 else {scale.high, Decimal(0)}):
        y = scale.y(value)
        css = "axis-zero" if value == 0 else "grid"
        parts.append(f'<line class="{css}" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y}" y2="{y}"/>')
        parts.append(f'<text class="tick" x="{LEFT - 6}" y="{y + 4}" text-anchor="end">{escape(money(value))}</text>')
    every = -(-len(weeks) // MAX_X_LABELS)
    for i, week in enumerate(weeks):
        if i % every == 0:
            x = round(LEFT + slot * (i + 0.5), 1)
            parts.append(f'<text class="tick" x="{x}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle">'
                         f'{week["week_start"]:%d/%m}</text>')
    return parts


def _bar(css: str, x: float, width: float, scale: _Scale, value: Decimal, title: str) -> str:
    top, zero = scale.y(max(value, Decimal(0))), scale.y(min(value, Decimal(0)))
    return (f'<rect class="{css}" x="{round(x, 1)}" y="{top}" width="{round(width, 1)}" '
            f'height="{round(max(zero - top, 0.5), 1)}"><title>{escape(title)}</title></rect>')


def debt_chart(weeks_desc: list[dict]) -> Markup:
    """Debt per week (bars, left scale) and drivers per week (line, right scale)."""
    weeks = list(reversed(weeks_desc))
    slot = PLOT_W / len(weeks)
    scale = _Scale([_amount(w, "debt_sum") for w in weeks])
    most = max(w["total_rows"] for w in weeks) or 1
    parts = _axes(scale, weeks, slot)
    points = []
    for i, week in enumerate(weeks):
        when = f'{week["week_start"]:%d/%m/%Y}'
        parts.append(_bar("bar-debt", LEFT + slot * (i + 0.15), slot * 0.7, scale, _amount(week, "debt_sum"),
                          f"Semana {when}: deuda {money(week['debt_sum'])}"))
        x = round(LEFT + slot * (i + 0.5), 1)
        y = round(TOP + (1 - week["total_rows"] / most) * PLOT_H, 1)
        points.append((x, y, f"Semana {when}: {count(week['total_rows'])} conductores"))
    parts.append('<polyline class="line-drivers" points="' + " ".join(f"{x},{y}" for x, y, _ in points) + '"/>')
    parts += [f'<circle class="dot-drivers" cx="{x}" cy="{y}" r="3.5"><title>{escape(t)}</title></circle>'
              for x, y, t in points]
    parts.append(f'<text class="tick" x="{WIDTH - RIGHT + 6}" y="{TOP + 4}">{escape(count(most))}</text>')
    parts.append(f'<text class="tick" x="{WIDTH - RIGHT + 6}" y="{TOP + PLOT_H + 4}">0</text>')
    return _frame("Deuda (barras) y conductores (línea) por semana", parts)


def paid_chart(weeks_desc: list[dict]) -> Markup:
    """Expected and paid per week, side by side."""
    weeks = list(reversed(weeks_desc))
    slot = PLOT_W / len(weeks)
    scale = _Scale([_amount(w, key) for w in weeks for key in ("expected_sum", "paid_sum")])
    parts = _axes(scale, weeks, slot)
    for i, week in enumerate(weeks):
        when = f'{week["week_start"]:%d/%m/%Y}'
        parts.append(_bar("bar-expected", LEFT + slot * (i + 0.12), slot * 0.38, scale, _amount(week, "expected_sum"),
                          f"Semana {when}: esperado {money(week['expected_sum'])}"))
        parts.append(_bar("bar-paid", LEFT + slot * (i + 0.5), slot * 0.38, scale, _amount(week, "paid_sum"),
                          f"Semana {when}: pagado {money(week['paid_sum'])}"))
    return _frame("Pagado y esperado por semana", parts)
