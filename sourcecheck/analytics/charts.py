"""Charts for the dashboard and the projector, built from the same numbers their tables show (every chart has
its table)."""

from __future__ import annotations

import altair as alt
import pandas as pd

from sourcecheck.analytics.options import letter
from sourcecheck.grading.tally import Tally

__all__ = ["calibration_chart", "facility_chart", "option_chart", "score_chart"]

_BLUE = "#0072B2"
_INK = "#1f2128"  # axis text: Vega's default grey is too faint on a projector or a laptop in daylight


def _readable(chart: alt.Chart | alt.LayerChart) -> alt.Chart | alt.LayerChart:
    configured: alt.Chart | alt.LayerChart = chart.configure_axis(
        labelFontSize=14, titleFontSize=15, labelColor=_INK, titleColor=_INK, labelAngle=0, labelLimit=160,
    ).configure_legend(labelFontSize=14, titleFontSize=15, labelColor=_INK, titleColor=_INK)
    return configured  # altair's configure_* are untyped; the chart type is what went in


def score_chart(distribution: pd.DataFrame) -> alt.Chart | alt.LayerChart:
    return _readable(alt.Chart(distribution).mark_bar(color=_BLUE).encode(
        x=alt.X("score:N", sort=None, title="Score"), y=alt.Y("students:Q", title="Students",
                                                             axis=alt.Axis(tickMinStep=1)),
        tooltip=["score", "students"]).properties(height=260))


def facility_chart(stats: pd.DataFrame) -> alt.Chart | alt.LayerChart:
    """Per question, the share of students fully right (first attempts): the Reteach list's order, as bars."""
    frame = stats.assign(label=[f"Q{p}" for p in stats["position"]])
    return _readable(alt.Chart(frame).mark_bar(color=_BLUE).encode(
        x=alt.X("label:N", sort=None, title="Question"),
        y=alt.Y("fully_right:Q", title="Fully right", scale=alt.Scale(domain=[0, 1]), axis=alt.Axis(format="%")),
        tooltip=["label", "prompt", alt.Tooltip("fully_right:Q", format=".0%", title="Fully right"),
                 alt.Tooltip("facility:Q", format=".0%", title="Mean score"), "answered"]).properties(height=260))


def calibration_chart(bins: pd.DataFrame) -> alt.Chart | alt.LayerChart:
    """Points on the diagonal are well calibrated; below it, more sure than right."""
    points = bins.dropna(subset=["confidence"]).assign(right=lambda f: 100 * f["accuracy"])
    diagonal = alt.Chart(pd.DataFrame({"x": [50, 100], "y": [50, 100]})).mark_line(
        strokeDash=[6, 4], color="#555").encode(x="x:Q", y="y:Q")
    dots = alt.Chart(points).mark_circle(color=_BLUE, opacity=0.9).encode(
        x=alt.X("confidence:Q", title="How sure (mean, %)", scale=alt.Scale(domain=[50, 100])),
        y=alt.Y("right:Q", title="Fully right (%)", scale=alt.Scale(domain=[0, 100])),
        size=alt.Size("answers:Q", title="Answers"), tooltip=["sure", "answers",
                                                              alt.Tooltip("accuracy:Q", format=".0%")])
    return _readable((diagonal + dots).properties(height=300))


def option_chart(counts: Tally) -> alt.LayerChart:
    """The projector's reveal: a bar per option, labelled by the letter the options had before the reveal; the
    right ones are marked in words ("✓ right") and by colour. Type is large and black: it is read from the back
    of a classroom, drawn without the app's theme (which would shrink and grey the labels)."""
    frame = pd.DataFrame({
        "Option": [letter(n) for n in range(len(counts.bars))],
        "Answer": [b.label for b in counts.bars],
        "Students": [b.count for b in counts.bars],
        "Right": ["✓ right" if b.correct else "" for b in counts.bars],
    })
    chart = alt.Chart(frame).mark_bar(stroke="#000", strokeWidth=2).encode(
        x=alt.X("Students:Q", axis=alt.Axis(tickMinStep=1, labelFontSize=22, titleFontSize=22, labelColor="#000",
                                            titleColor="#000")),
        y=alt.Y("Option:N", sort=None, axis=alt.Axis(title=None, labelFontSize=30, labelFontWeight="bold",
                                                     labelColor="#000")),
        color=alt.Color("Right:N", scale=alt.Scale(domain=["✓ right", ""], range=["#0072B2", "#d9d9d9"]),
                        legend=None),
    ).properties(height=max(120, 64 * len(frame)))
    text = chart.mark_text(align="left", dx=8, fontSize=28, fontWeight="bold", color="#000").encode(
        text=alt.Text("label:N"), color=alt.value("#000")).transform_calculate(
        label="datum.Students + (datum.Right ? '  ' + datum.Right : '')")
    layered: alt.LayerChart = chart + text  # altair's `+` is untyped
    return layered
