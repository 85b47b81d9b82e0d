import json

from dashboard import charts

RAG = [
    {"status": "not_assessed", "label": "Not yet assessed", "count": 28, "previous": 29},
    {"status": "red", "label": "Red", "count": 1, "previous": 0},
    {"status": "amber", "label": "Amber", "count": 1, "previous": 1},
]


def test_the_rag_bars_leave_not_yet_assessed_to_the_text():
    html = charts.rag_chart(RAG)
    assert "Not yet assessed" not in html and '"Red"' in html
    assert "data-plotly-figure=" in html and '"template"' not in html


def test_chart_json_cannot_close_its_script():
    html = charts.measure_trend([("</script><b>", 1.0), ("2019/20", 2.0)], element_id="chart-x")
    assert "</script><b>" not in html and "\\u003c/script\\u003e" in html


def test_a_target_that_does_not_apply_is_not_drawn():
    measure = {"pk": 1, "series": [("2018/19", 0.93), ("2019/20", 1.07)], "target_value": 0.67, "unit": "days"}
    data = {
        "actions": {"rag": RAG},
        "measures": [measure | {"reasons": ["The target is stated as “0.67 per month”."]}],
        "money": {"budget": [], "efficiencies": []},
        "indicators": [],
    }
    assert "Target" not in charts.dashboard_charts(data)["measures"][1]
    data["measures"] = [measure | {"reasons": []}]
    assert "Target 0.67 days" in charts.dashboard_charts(data)["measures"][1]


def test_money_labels_are_short_enough_to_fit():
    assert [charts.compact_gbp(v) for v in (18_085_000, 3_340_000, 120_000, 15_500, 950, None)] == [
        "£18.085m",
        "£3.34m",
        "£120k",
        "£15.5k",
        "£950",
        "not stated",
    ]


def test_no_value_label_is_clipped_at_the_plot_edge():
    indicator = {
        "kind": "time_series",
        "unit": "",
        "points": [{"label": str(y), "value": y, "text": str(y)} for y in (1, 2, 3)],
    }
    data = {
        "actions": {"rag": RAG},
        "measures": [{"pk": 1, "series": [("2018/19", 1.0), ("2019/20", 2.0)], "target_value": None, "unit": "count"}],
        "money": {
            "budget": [{"service": "Care", "amount": 5}],
            "efficiencies": [{"number": 1, "option": "A", "planned": 5, "delivered": None}],
        },
        "indicators": [indicator | {"pk": 7}],
    }
    built = charts.dashboard_charts(data)
    for html in [built["rag"], built["measures"][1], built["budget"], built["efficiencies"], built["indicators"][7]]:
        figure = json.loads(html.split('type="application/json"')[1].split(">", 1)[1].split("</script>")[0])
        labelled = [trace for trace in figure["data"] if "text" in trace]
        assert labelled and all(trace.get("cliponaxis") is False for trace in labelled)
