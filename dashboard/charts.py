"""Plotly figures for the dashboards, built from the plain data the selectors return.

This module never queries the database. Every chart labels its values in text
(bar labels, axis words, a legend with patterns), so no meaning rests on colour
alone, and the templates put a data table beside each one for screen readers.
"""

import json

import plotly.graph_objects as go
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from plotly.utils import PlotlyJSONEncoder

from dashboard.choices import MeasureUnit

RAG_COLOURS = {
    "red": "#b02a37",
    "amber": "#ffc107",
    "green": "#146c43",
    "complete": "#1d3c6e",
    "not_assessed": "#adb5bd",
}
NOT_ASSESSED = "not_assessed"
BRAND = "#1d3c6e"
MUTED = "#6c757d"
# As django.utils.html.json_script: JSON inside <script> must not be able to close the element.
JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003e", ord("<"): "\\u003c", ord("&"): "\\u0026"}
FONT = dict(family="system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif", size=13, color="#212529")


def _layout(figure, *, height, title=None, **extra):
    figure.update_layout(
        height=height,
        margin=dict(l=10, r=10, t=40 if title else 24, b=10),
        font=FONT,
        paper_bgcolor="white",
        plot_bgcolor="white",
        title=dict(text=title, x=0, font=dict(size=14)) if title else None,
        legend=dict(orientation="h", y=-0.3),
        **extra,
    )
    figure.update_xaxes(automargin=True, gridcolor="#e9ecef")
    figure.update_yaxes(automargin=True, gridcolor="#e9ecef")
    return figure


CONFIG = {"displayModeBar": False, "responsive": True}


def to_html(figure, element_id):
    """A chart's placeholder and its figure (a plotly Figure or its plain JSON); static/js/charts.js draws it.

    No inline script: the Content-Security-Policy only runs scripts served from this site.
    Only the figure's own data and layout are sent: Plotly's default template (about 7 KB of
    JSON) is left out of every chart. No mode bar: its buttons would be keyboard stops inside a
    chart that screen readers skip (each chart's figures are in a table beside it).
    """
    spec = figure if isinstance(figure, dict) else figure.to_plotly_json()
    spec["layout"].pop("template", None)
    figure_json = json.dumps(spec, cls=PlotlyJSONEncoder).translate(JSON_SCRIPT_ESCAPES)
    return format_html(
        '<div id="{}" class="plotly-graph-div sip-chart" data-plotly-figure="{}-figure" data-plotly-config="{}"></div>'
        '<script type="application/json" id="{}-figure">{}</script>',
        element_id,
        element_id,
        json.dumps(CONFIG),
        element_id,
        mark_safe(figure_json),
    )


def rag_chart(rag_rows, *, element_id="chart-rag"):
    """Actions by RAG status this quarter, with last quarter hatched beside it.

    "Not yet assessed" is not a status on the scale, and its count would dwarf the rest: the page
    states it in words beside the chart instead.
    """
    rag_rows = [row for row in rag_rows if row["status"] != NOT_ASSESSED]
    labels = [row["label"] for row in rag_rows]
    bar = {"type": "bar", "y": labels, "orientation": "h", "textposition": "outside", "cliponaxis": False}
    last_quarter = {
        "color": "white",
        "line": {"color": MUTED, "width": 1},
        "pattern": {"shape": "/", "fgcolor": MUTED},
    }
    this_quarter = {"color": [RAG_COLOURS[row["status"]] for row in rag_rows], "line": {"color": "#212529", "width": 1}}
    previous, now = [row["previous"] for row in rag_rows], [row["count"] for row in rag_rows]
    data = [
        bar | {"name": "Last quarter", "x": previous, "text": [str(n) for n in previous], "marker": last_quarter},
        bar | {"name": "This quarter", "x": now, "text": [str(n) for n in now], "marker": this_quarter},
    ]
    layout = _plain_layout(height=300, barmode="group")
    layout["yaxis"]["autorange"] = "reversed"
    longest = max((max(row["count"], row["previous"]) for row in rag_rows), default=0)
    layout["xaxis"] |= {"title": {"text": "Number of actions"}, "range": [0, longest * 1.15 + 1]}
    return to_html({"data": data, "layout": layout}, element_id)


def _plain_layout(*, height, **extra):
    """_layout's result as a plain dict, for the charts on every dashboard (see measure_trend)."""
    axis = {"automargin": True, "gridcolor": "#e9ecef"}
    return {
        "height": height,
        "margin": {"l": 10, "r": 10, "t": 24, "b": 10},
        "font": FONT,
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
        "legend": {"orientation": "h", "y": -0.3},
        "xaxis": dict(axis),
        "yaxis": dict(axis),
        **extra,
    }


def measure_trend(series, *, target_value=None, unit="count", element_id):
    """A small line of a measure's stated results, with the target as a labelled dashed line.

    Written as the figure's plain JSON rather than through plotly.graph_objects, whose validation
    took a tenth of a second per chart: a dashboard draws one for every measure.
    """
    in_unit = MeasureUnit(unit or MeasureUnit.COUNT).format
    values = [value for _, value in series] + ([target_value] if target_value is not None else [])
    # Room above the highest point for its label, and below the lowest for the target's.
    spread = (max(values) - min(values)) or abs(max(values)) or 1
    layout = _plain_layout(height=200, showlegend=False)
    layout["yaxis"]["range"] = [min(values) - spread * 0.35, max(values) + spread * 0.45]
    # Half a category of room either side, so the first and last labels clear the axes.
    layout["xaxis"] |= {"type": "category", "range": [-0.5, len(series) - 0.5]}
    if target_value is not None:
        line = {"xref": "x domain", "x0": 0, "x1": 1, "yref": "y", "y0": target_value, "y1": target_value}
        layout["shapes"] = [{"type": "line", "line": {"color": MUTED, "dash": "dash"}, **line}]
        layout["annotations"] = [
            {
                "text": f"Target {in_unit(target_value)}",
                "showarrow": False,
                "xref": "x domain",
                "x": 1,
                "xanchor": "right",
                "yref": "y",
                "y": target_value,
                "yanchor": "top",
            }
        ]
    trace = {
        "type": "scatter",
        "x": [label for label, _ in series],
        "y": [value for _, value in series],
        "mode": "lines+markers+text",
        "text": [in_unit(value) for _, value in series],
        "textposition": "top center",
        "cliponaxis": False,
        "line": {"color": BRAND, "width": 2},
        "marker": {"size": 8, "symbol": "circle"},
        "name": "Result",
    }
    return to_html({"data": [trace], "layout": layout}, element_id)


def money_bars(rows, *, label_key, value_key, element_id, title=None):
    """Horizontal bars of £ amounts, each labelled with its value."""
    figure = go.Figure()
    figure.add_bar(
        y=[row[label_key] for row in rows],
        x=[float(row[value_key] or 0) for row in rows],
        orientation="h",
        marker=dict(color=BRAND),
        text=[compact_gbp(row[value_key]) for row in rows],
        textposition="outside",
        cliponaxis=False,
    )
    figure.update_yaxes(autorange="reversed")
    # Leave room to the right of the longest bar for its £ label.
    longest = max((float(row[value_key] or 0) for row in rows), default=0)
    figure.update_xaxes(tickprefix="£", separatethousands=True, range=[0, longest * 1.5 or 1])
    return to_html(_layout(figure, height=60 + 40 * len(rows), title=title, showlegend=False), element_id)


def compact_gbp(value):
    """A bar label short enough to fit beside its bar: £18.085m, £120k; the table beside it has the exact sum."""
    if value is None:
        return "not stated"
    amount = float(value)
    if amount >= 1_000_000:
        return f"£{amount / 1_000_000:,.3f}".rstrip("0").rstrip(".") + "m"
    if amount >= 10_000:
        return f"£{amount / 1_000:,.1f}".rstrip("0").rstrip(".") + "k"
    return f"£{amount:,.0f}"


def short(text, length=28):
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def planned_vs_delivered(rows, *, element_id):
    labels = [f"{row['number']}. {short(row['option'])}" for row in rows]
    figure = go.Figure()
    figure.add_bar(
        name="Planned",
        y=labels,
        x=[float(r["planned"]) for r in rows],
        orientation="h",
        marker=dict(color=BRAND),
        text=[f"£{float(r['planned']):,.0f}" for r in rows],
        textposition="outside",
        cliponaxis=False,
    )
    figure.add_bar(
        name="Delivered",
        y=labels,
        x=[float(r["delivered"] or 0) for r in rows],
        orientation="h",
        marker=dict(color="white", line=dict(color=BRAND, width=1), pattern=dict(shape="x", fgcolor=BRAND)),
        text=[f"£{float(r['delivered']):,.0f}" if r["delivered"] is not None else "not yet reported" for r in rows],
        textposition="outside",
        cliponaxis=False,
    )
    figure.update_yaxes(autorange="reversed")
    longest = max((float(row["planned"] or 0) for row in rows), default=0)
    figure.update_xaxes(tickprefix="£", separatethousands=True, range=[0, longest * 1.6 or 1])
    return to_html(_layout(figure, height=100 + 60 * len(rows), barmode="group"), element_id)


def indicator_chart(indicator, *, element_id):
    """A time series as a labelled line; a breakdown as labelled bars."""
    points = [point for point in indicator["points"] if point["value"] is not None]
    labels = [point["label"] for point in points]
    values = [point["value"] for point in points]
    texts = [point["text"] for point in points]
    figure = go.Figure()
    if indicator["kind"] == "time_series" and len(points) > 2:
        figure.add_scatter(
            x=labels,
            y=values,
            mode="lines+markers+text",
            text=texts,
            textposition="top center",
            cliponaxis=False,
            line=dict(color=BRAND, width=2),
            marker=dict(size=8),
        )
        figure.update_xaxes(type="category")
    else:
        figure.add_bar(
            x=labels, y=values, text=texts, textposition="outside", marker=dict(color=BRAND), cliponaxis=False
        )
        figure.update_xaxes(type="category")
    figure.update_yaxes(title_text=indicator["unit"] or None, rangemode="tozero")
    return to_html(_layout(figure, height=260, showlegend=False), element_id)


def dashboard_charts(data):
    """Every chart a dashboard shows, built from its plain data."""
    return {
        "rag": rag_chart(data["actions"]["rag"]),
        "measures": {
            m["pk"]: measure_trend(
                m["series"],
                # A target from another period or in another unit is not drawn as if it applied.
                target_value=None if m.get("reasons") else m["target_value"],
                unit=m["unit"],
                element_id=f"chart-m{m['pk']}",
            )
            for m in data["measures"]
            # One result is a figure, not a trend: the page states it as a number.
            if len(m["series"]) > 1
        },
        "budget": money_bars(
            data["money"]["budget"], label_key="service", value_key="amount", element_id="chart-budget"
        )
        if data["money"]["budget"]
        else None,
        "efficiencies": planned_vs_delivered(data["money"]["efficiencies"], element_id="chart-efficiencies")
        if data["money"]["efficiencies"]
        else None,
        "indicators": {i["pk"]: indicator_chart(i, element_id=f"chart-i{i['pk']}") for i in data["indicators"]},
    }
