"""The progress maths of DESIGN.md §3, to the digit. Pure functions: no database."""

from decimal import Decimal as D

import pytest

from tracker.progress import (
    STATUS_COLOURS,
    STATUS_ICONS,
    Quarter,
    Status,
    annual_qualifier,
    annual_value,
    change,
    completeness,
    count_statuses,
    expected_share,
    progress,
    status,
)

Q = Quarter


# --- annual_value -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("aggregation", "quarters", "expected"),
    [
        pytest.param("sum", [Q(1, D(10)), Q(2, D(5)), Q(3, D(7)), Q(4, D(3))], D(25), id="sum"),
        pytest.param("sum", [Q(1, D("2.5")), Q(3, D(4))], D("6.5"), id="sum-missing-quarters"),
        pytest.param("sum", [Q(4, D(1)), Q(2, D(2)), Q(1, D(3))], D(6), id="sum-unordered"),
        pytest.param("sum", [Q(1, D(0)), Q(2, None)], D(0), id="sum-zero-is-a-value"),
        pytest.param("sum", [Q(1, None), Q(2, None)], None, id="sum-all-none"),
        pytest.param("sum", [], None, id="sum-no-quarters"),
        pytest.param("latest", [Q(1, D(9)), Q(2, D(7))], D(7), id="latest"),
        pytest.param("latest", [Q(3, D(7)), Q(1, D(9)), Q(2, D(8))], D(7), id="latest-unordered"),
        pytest.param("latest", [Q(2, D(4)), Q(4, None)], D(4), id="latest-skips-empty-quarter"),
        pytest.param("latest", [Q(1, D(9)), Q(3, D(0))], D(0), id="latest-zero-is-a-value"),
        pytest.param("latest", [Q(1, None)], None, id="latest-all-none"),
        pytest.param("latest", [], None, id="latest-no-quarters"),
        pytest.param(
            "ratio",
            [Q(1, D(50), D(1), D(2)), Q(2, D(75), D(30), D(40))],
            D("73.8095"),
            id="ratio-31-over-42",
        ),
        pytest.param(
            "ratio",
            [Q(3, D(75), D(30), D(40)), Q(1, D(50), D(1), D(2))],
            D("73.8095"),
            id="ratio-unordered",
        ),
        pytest.param("ratio", [Q(2, D("33.33"), D(1), D(3))], D("33.3333"), id="ratio-one-third"),
        pytest.param("ratio", [Q(2, D("66.67"), D(2), D(3))], D("66.6667"), id="ratio-two-thirds"),
        pytest.param(
            # 100/128 = 0.78125: kept to 4 places half up (half-to-even would give 0.7812).
            "ratio",
            [Q(1, None, D(1), D(128))],
            D("0.7813"),
            id="ratio-rounds-half-up",
        ),
        pytest.param("ratio", [Q(1, D(0), D(0), D(10))], D("0.00"), id="ratio-zero-numerator"),
        pytest.param("ratio", [Q(1, None, D(0), D(0))], None, id="ratio-zero-denominator"),
        pytest.param(
            "ratio",
            [Q(1, None, D(0), D(0)), Q(2, D(25), D(1), D(4))],
            D("25.00"),
            id="ratio-zero-denominator-quarter-adds-nothing",
        ),
        pytest.param(
            "ratio",
            [Q(1, D(80)), Q(2, D(50), D(1), D(2))],
            D("50.00"),
            id="ratio-ignores-quarter-without-counts",
        ),
        pytest.param("ratio", [Q(1, D(80)), Q(2, None)], None, id="ratio-no-counts"),
        pytest.param("ratio", [], None, id="ratio-no-quarters"),
    ],
)
def test_annual_value(aggregation, quarters, expected):
    assert annual_value(aggregation, quarters) == expected


def test_ratio_never_averages_percentages():
    quarters = [Q(1, D(50), D(1), D(2)), Q(2, D(75), D(30), D(40))]
    result = annual_value("ratio", quarters)
    assert result == D("73.8095")
    assert result != D("62.5")  # the mean of 50 % and 75 %


def test_annual_value_accepts_a_generator():
    assert annual_value("sum", (Q(n, D(n)) for n in (1, 2, 3))) == D(6)


def test_annual_value_rejects_unknown_aggregation():
    with pytest.raises(ValueError, match="aggregation"):
        annual_value("mean", [Q(1, D(1))])


@pytest.mark.parametrize("number", [0, 5], ids=["zero", "five"])
def test_quarter_is_numbered_one_to_four(number):
    with pytest.raises(ValueError, match="quarter"):
        Q(number, D(1))


# --- progress -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "baseline", "target", "direction", "expected"),
    [
        pytest.param(D(30), D(20), D(40), "increase", D("0.5000"), id="increase-halfway"),
        pytest.param(D(40), D(20), D(40), "increase", D("1.0000"), id="increase-at-target"),
        pytest.param(D(50), D(20), D(40), "increase", D("1.5000"), id="increase-beyond-target"),
        pytest.param(D(10), D(20), D(40), "increase", D("-0.5000"), id="increase-below-baseline"),
        pytest.param(D(20), D(20), D(40), "increase", D("0.0000"), id="increase-at-baseline"),
        pytest.param(D(15), None, D(60), "increase", D("0.2500"), id="no-baseline-increase"),
        pytest.param(D(15), None, D(60), "decrease", None, id="no-baseline-decrease"),
        pytest.param(D(30), D(40), D(20), "decrease", D("0.5000"), id="decrease-halfway"),
        pytest.param(D(10), D(40), D(20), "decrease", D("1.5000"), id="decrease-beyond-target"),
        pytest.param(D(45), D(40), D(20), "decrease", D("-0.2500"), id="decrease-worse"),
        pytest.param(D(30), D(20), D(40), "decrease", None, id="decrease-misconfigured"),
        pytest.param(D(30), D(40), D(20), "increase", None, id="increase-misconfigured"),
        pytest.param(D(40), D(40), D(40), "increase", D(1), id="flat-increase-at-target"),
        pytest.param(D(41), D(40), D(40), "increase", D(1), id="flat-increase-better"),
        pytest.param(D(39), D(40), D(40), "increase", D(0), id="flat-increase-worse"),
        pytest.param(D(39), D(40), D(40), "decrease", D(1), id="flat-decrease-better"),
        pytest.param(D(41), D(40), D(40), "decrease", D(0), id="flat-decrease-worse"),
        pytest.param(None, D(40), D(40), "increase", None, id="flat-no-value"),
        pytest.param(None, D(20), D(40), "increase", None, id="no-value"),
        pytest.param(D(30), D(20), None, "increase", None, id="no-target"),
        pytest.param(D(1), D(0), D(3), "increase", D("0.3333"), id="rounds-one-third"),
        pytest.param(D(2), D(0), D(3), "increase", D("0.6667"), id="rounds-two-thirds"),
        pytest.param(D(1), D(0), D(32), "increase", D("0.0313"), id="rounds-half-up"),
        pytest.param(D("31.03"), D("12.5"), D(30), "increase", D("1.0589"), id="percentage-points"),
    ],
)
def test_progress(value, baseline, target, direction, expected):
    assert progress(value, baseline, target, direction) == expected


def test_progress_rejects_unknown_direction():
    with pytest.raises(ValueError, match="direction"):
        progress(D(1), D(0), D(2), "sideways")


# --- expected_share -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("elapsed", "expected"),
    [(0, D(0)), (1, D("0.25")), (2, D("0.5")), (3, D("0.75")), (4, D(1))],
    ids=["q0", "q1", "q2", "q3", "q4"],
)
@pytest.mark.parametrize("aggregation", ["sum", "latest", "ratio"])
def test_expected_share(elapsed, expected, aggregation):
    assert expected_share(elapsed, aggregation) == expected


@pytest.mark.parametrize("elapsed", [-1, 5], ids=["negative", "five"])
def test_expected_share_rejects_out_of_range(elapsed):
    with pytest.raises(ValueError, match="Elapsed"):
        expected_share(elapsed, "sum")


# --- status -------------------------------------------------------------------------------

ACH, ON, RISK, OFF, UNMEASURED, UNKNOWN, NONE = (
    Status.ACHIEVED,
    Status.ON_TRACK,
    Status.AT_RISK,
    Status.OFF_TRACK,
    Status.NO_TARGET,
    Status.UNKNOWN,
    Status.NO_DATA,
)


def _status(agg, direction, kind, value, baseline, target, elapsed, **extra):
    return status(
        aggregation=agg,
        direction=direction,
        unit_kind=kind,
        value=value,
        baseline=baseline,
        annual_target=target,
        elapsed_quarters=elapsed,
        **extra,
    )


# (aggregation, direction, unit kind, value, baseline, annual target, elapsed quarters, status)
STATUS_CASES = [
    # No data.
    pytest.param("sum", "increase", "count", None, None, D(100), 2, NONE, id="none-no-value"),
    pytest.param("latest", "decrease", "count", D(5), D(9), None, 2, UNMEASURED, id="no-target"),
    pytest.param("sum", "increase", "count", D(0), None, None, 4, UNMEASURED, id="no-target-zero"),
    pytest.param("ratio", "increase", "percentage", None, D(20), D(30), 4, NONE, id="none-ratio"),
    pytest.param("latest", "increase", "milestone", None, None, D(1), 4, NONE, id="none-mile"),
    # Increasing total (sum): expected = target × elapsed/4.
    pytest.param("sum", "increase", "count", D(100), None, D(100), 1, ACH, id="sum-up-ach-q1"),
    pytest.param("sum", "increase", "count", D(120), None, D(100), 4, ACH, id="sum-up-ach-q4"),
    pytest.param("sum", "increase", "amount", D(50), None, D(100), 2, ON, id="sum-up-on-pace"),
    pytest.param("sum", "increase", "count", D("42.5"), None, D(100), 2, ON, id="sum-up-0.85"),
    pytest.param("sum", "increase", "count", D("42.49"), None, D(100), 2, RISK, id="sum-up-<0.85"),
    pytest.param("sum", "increase", "count", D(35), None, D(100), 2, RISK, id="sum-up-0.70"),
    pytest.param("sum", "increase", "count", D("34.99"), None, D(100), 2, OFF, id="sum-up-<0.70"),
    pytest.param("sum", "increase", "count", D(85), None, D(100), 4, ON, id="sum-up-q4-0.85"),
    pytest.param("sum", "increase", "count", D(0), None, D(100), 1, OFF, id="sum-up-nothing"),
    pytest.param("sum", "increase", "count", D(0), None, D(100), 0, ON, id="sum-up-q0"),
    # The baseline plays no part in a yearly total.
    pytest.param("sum", "increase", "count", D(50), D(90), D(100), 2, ON, id="sum-up-baseline"),
    # Decreasing total (sum, e.g. cases): a ceiling of target × elapsed/4.
    pytest.param("sum", "decrease", "count", D(90), None, D(100), 4, ACH, id="sum-down-ach-q4"),
    pytest.param("sum", "decrease", "count", D(10), None, D(100), 2, ON, id="sum-down-under-q2"),
    pytest.param("sum", "decrease", "count", D(50), None, D(100), 2, ON, id="sum-down-at-ceil"),
    pytest.param("sum", "decrease", "count", D("57.5"), None, D(100), 2, ON, id="sum-down-0.85"),
    pytest.param(
        "sum", "decrease", "count", D("57.51"), None, D(100), 2, RISK, id="sum-down-<0.85"
    ),
    pytest.param("sum", "decrease", "count", D(65), None, D(100), 2, RISK, id="sum-down-0.70"),
    pytest.param("sum", "decrease", "count", D("65.01"), None, D(100), 2, OFF, id="sum-down-<0.7"),
    pytest.param("sum", "decrease", "count", D(115), None, D(100), 4, ON, id="sum-down-q4-0.85"),
    pytest.param("sum", "decrease", "count", D(101), None, D(100), 1, OFF, id="sum-down-over"),
    pytest.param("sum", "decrease", "count", D(0), None, D(0), 2, ON, id="sum-down-zero-ceil"),
    pytest.param("sum", "decrease", "count", D(1), None, D(0), 2, OFF, id="sum-down-zero-over"),
    pytest.param("sum", "decrease", "count", D(0), None, D(0), 4, ACH, id="sum-down-zero-q4"),
    pytest.param("sum", "decrease", "count", D(100), None, D(100), 0, ON, id="sum-down-q0"),
    pytest.param("sum", "decrease", "count", D(101), None, D(100), 0, RISK, id="sum-down-q0-over"),
    # Increasing level (latest): from baseline 20 towards 40; at q2 the path is at 30.
    pytest.param("latest", "increase", "count", D(40), D(20), D(40), 1, ACH, id="lat-up-ach"),
    pytest.param("latest", "increase", "count", D(45), D(20), D(40), 0, ACH, id="lat-up-ach-q0"),
    pytest.param("latest", "increase", "count", D(30), D(20), D(40), 2, ON, id="lat-up-on-pace"),
    pytest.param("latest", "increase", "count", D("28.5"), D(20), D(40), 2, ON, id="lat-up-0.85"),
    pytest.param(
        "latest", "increase", "count", D("28.49"), D(20), D(40), 2, RISK, id="lat-up-<0.85"
    ),
    pytest.param("latest", "increase", "count", D(27), D(20), D(40), 2, RISK, id="lat-up-0.70"),
    pytest.param(
        "latest", "increase", "count", D("26.99"), D(20), D(40), 2, OFF, id="lat-up-<0.70"
    ),
    pytest.param("latest", "increase", "count", D(19), D(20), D(40), 2, OFF, id="lat-up-worse"),
    pytest.param("latest", "increase", "count", D(37), D(20), D(40), 4, ON, id="lat-up-q4-0.85"),
    pytest.param("latest", "increase", "count", D(36), D(20), D(40), 4, RISK, id="lat-up-q4-risk"),
    pytest.param("latest", "increase", "count", D(20), D(20), D(40), 0, ON, id="lat-up-q0"),
    pytest.param("latest", "increase", "count", D(19), D(20), D(40), 0, RISK, id="lat-up-q0-bad"),
    # Without a baseline a level is compared with the full target, whatever the quarter.
    pytest.param("latest", "increase", "count", D(34), None, D(40), 1, ON, id="lat-up-nob-0.85"),
    pytest.param(
        "latest", "increase", "count", D("33.99"), None, D(40), 1, RISK, id="lat-up-nob-<0.85"
    ),
    pytest.param("latest", "increase", "count", D(28), None, D(40), 0, RISK, id="lat-up-nob-0.70"),
    pytest.param(
        "latest", "increase", "count", D("27.99"), None, D(40), 4, OFF, id="lat-up-nob-<0.70"
    ),
    # A baseline already at or above the target gives no path: the same as no baseline.
    pytest.param("latest", "increase", "count", D(34), D(50), D(40), 1, ON, id="lat-up-bad-base"),
    pytest.param("latest", "increase", "count", D(28), D(40), D(40), 2, RISK, id="lat-up-flat"),
    # Decreasing level (latest): from baseline 40 down to 20; at q2 the path is at 30.
    pytest.param("latest", "decrease", "count", D(20), D(40), D(20), 1, ACH, id="lat-down-ach"),
    pytest.param("latest", "decrease", "count", D(30), D(40), D(20), 2, ON, id="lat-down-pace"),
    pytest.param("latest", "decrease", "count", D("31.5"), D(40), D(20), 2, ON, id="lat-down-0.85"),
    pytest.param(
        "latest", "decrease", "count", D("31.51"), D(40), D(20), 2, RISK, id="lat-down-<0.85"
    ),
    pytest.param("latest", "decrease", "count", D(33), D(40), D(20), 2, RISK, id="lat-down-0.70"),
    pytest.param(
        "latest", "decrease", "count", D("33.01"), D(40), D(20), 2, OFF, id="lat-down-<0.70"
    ),
    pytest.param("latest", "decrease", "count", D(41), D(40), D(20), 2, OFF, id="lat-down-worse"),
    pytest.param("latest", "decrease", "count", D(40), D(40), D(20), 0, ON, id="lat-down-q0"),
    pytest.param("latest", "decrease", "count", D(41), D(40), D(20), 0, RISK, id="lat-down-q0-b"),
    pytest.param("latest", "decrease", "count", D(23), None, D(20), 3, ON, id="lat-down-nob"),
    pytest.param(
        "latest", "decrease", "count", D("23.01"), None, D(20), 3, RISK, id="lat-down-nob-risk"
    ),
    pytest.param("latest", "decrease", "count", D(26), None, D(20), 3, RISK, id="lat-down-nob-0.7"),
    pytest.param(
        "latest", "decrease", "count", D("26.01"), None, D(20), 3, OFF, id="lat-down-nob-off"
    ),
    pytest.param("latest", "decrease", "count", D(1), None, D(0), 2, OFF, id="lat-down-zero-tgt"),
    # Percentage level (ratio): from 30 % towards 50 %; at q4 the path is at the target.
    pytest.param("ratio", "increase", "percentage", D(50), D(30), D(50), 2, ACH, id="rat-up-ach"),
    pytest.param(
        "ratio", "increase", "percentage", D("31.03"), D(30), D(50), 0, ON, id="rat-up-q0"
    ),
    pytest.param("ratio", "increase", "percentage", D(47), D(30), D(50), 4, ON, id="rat-up-0.85"),
    pytest.param(
        "ratio", "increase", "percentage", D("46.99"), D(30), D(50), 4, RISK, id="rat-up-<0.85"
    ),
    pytest.param("ratio", "increase", "percentage", D(44), D(30), D(50), 4, RISK, id="rat-up-0.7"),
    pytest.param(
        "ratio", "increase", "percentage", D("43.99"), D(30), D(50), 4, OFF, id="rat-up-<0.70"
    ),
    pytest.param("ratio", "decrease", "percentage", D(9), D(30), D(10), 3, ACH, id="rat-down-ach"),
    pytest.param(
        "ratio", "decrease", "percentage", D("15"), D(30), D(10), 3, ON, id="rat-down-on-pace"
    ),
    pytest.param(
        "ratio", "decrease", "percentage", D("17.25"), D(30), D(10), 3, ON, id="rat-down-0.85"
    ),
    pytest.param(
        "ratio", "decrease", "percentage", D("17.26"), D(30), D(10), 3, RISK, id="rat-down-risk"
    ),
    pytest.param(
        "ratio", "decrease", "percentage", D("25"), D(30), D(10), 3, OFF, id="rat-down-off"
    ),
    # Milestones (yes/no): no partial progress.
    pytest.param("latest", "increase", "milestone", D(1), None, D(1), 1, ACH, id="mile-yes"),
    pytest.param("latest", "increase", "milestone", D(1), None, D(1), 4, ACH, id="mile-yes-q4"),
    pytest.param("latest", "increase", "milestone", D(0), None, D(1), 0, RISK, id="mile-no-q0"),
    pytest.param("latest", "increase", "milestone", D(0), None, D(1), 3, RISK, id="mile-no-q3"),
    pytest.param("latest", "increase", "milestone", D(0), None, D(1), 4, OFF, id="mile-no-q4"),
    pytest.param("latest", "increase", "milestone", D(0), None, D(0), 4, ACH, id="mile-not-due"),
    # Scales are levels: from level 1 towards level 3; at q2 the path is at 2.
    pytest.param("latest", "increase", "scale", D(3), D(1), D(3), 1, ACH, id="scale-ach"),
    pytest.param("latest", "increase", "scale", D(2), D(1), D(3), 2, ON, id="scale-on"),
    pytest.param("latest", "increase", "scale", D(4), D(1), D(5), 4, RISK, id="scale-risk"),
    pytest.param("latest", "increase", "scale", D(1), D(1), D(3), 2, OFF, id="scale-off"),
    pytest.param("latest", "increase", "scale", D(1), D(1), D(3), 0, ON, id="scale-q0"),
    pytest.param("latest", "increase", "scale", D(2), None, D(3), 1, OFF, id="scale-no-baseline"),
    # A scale mistakenly summed is still a level: 2 of 4 is half the target, not ahead of q1.
    pytest.param("sum", "increase", "scale", D(2), None, D(4), 1, OFF, id="scale-never-a-total"),
]


@pytest.mark.parametrize(
    ("agg", "direction", "kind", "value", "baseline", "target", "elapsed", "expected"),
    STATUS_CASES,
)
def test_status(agg, direction, kind, value, baseline, target, elapsed, expected):
    assert _status(agg, direction, kind, value, baseline, target, elapsed) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param(D(90), ON, id="0.90-on"),
        pytest.param(D("89.99"), RISK, id="below-0.90-risk"),
        pytest.param(D(80), RISK, id="0.80-risk"),
        pytest.param(D("79.99"), OFF, id="below-0.80-off"),
    ],
)
def test_status_custom_band(value, expected):
    result = _status("sum", "increase", "count", value, None, D(100), 4, band=D("0.10"))
    assert result == expected


def test_status_band_may_be_given_as_text():
    assert _status("sum", "increase", "count", D(75), None, D(100), 4, band="0.25") == ON


@pytest.mark.parametrize(
    ("field", "bad"),
    [
        pytest.param("aggregation", "mean", id="aggregation"),
        pytest.param("direction", "sideways", id="direction"),
        pytest.param("elapsed_quarters", 5, id="elapsed"),
    ],
)
def test_status_rejects_bad_arguments(field, bad):
    arguments = {
        "aggregation": "sum",
        "direction": "increase",
        "unit_kind": "count",
        "value": D(1),
        "baseline": None,
        "annual_target": D(4),
        "elapsed_quarters": 2,
        field: bad,
    }
    with pytest.raises(ValueError):
        status(**arguments)


# --- completeness and count_statuses -------------------------------------------------------


@pytest.mark.parametrize(
    ("due", "reported", "expected"),
    [
        pytest.param(10, 7, D("0.7000"), id="seven-of-ten"),
        pytest.param(3, 1, D("0.3333"), id="one-third"),
        pytest.param(3, 2, D("0.6667"), id="two-thirds"),
        pytest.param(4, 4, D("1.0000"), id="all"),
        pytest.param(4, 0, D("0.0000"), id="none"),
        pytest.param(0, 0, None, id="nothing-due"),
    ],
)
def test_completeness(due, reported, expected):
    assert completeness(due, reported) == expected


def test_count_statuses_lists_every_status_in_order():
    counts = count_statuses([ON, ON, OFF, "achieved"])
    assert counts == {ACH: 1, ON: 2, RISK: 0, OFF: 1, UNMEASURED: 0, UNKNOWN: 0, NONE: 0}
    assert list(counts) == list(Status)


def test_count_statuses_of_nothing():
    assert count_statuses([]) == dict.fromkeys(Status, 0)


def test_each_status_has_label_icon_and_colour():
    assert [str(s.label) for s in Status] == [
        "Achieved",
        "On track",
        "At risk",
        "Off track",
        "No target",
        "Cannot tell",
        "No data",
    ]
    assert [s.colour for s in Status] == [
        "success",
        "primary",
        "warning",
        "danger",
        "info",
        "light",
        "secondary",
    ]
    icons = [s.icon for s in Status]
    assert all(icons) and len(set(icons)) == len(icons)
    assert set(STATUS_ICONS) == set(STATUS_COLOURS) == set(Status)


# --- change, for figures without a target ---------------------------------------------------


@pytest.mark.parametrize(
    "value, reference, direction, difference, trend",
    [
        (D(16093), D(3330), "increase", D(12763), "better"),
        (D(16093), D(3330), "decrease", D(12763), "worse"),
        (D("21.4"), D("25.0"), "increase", D("-3.6"), "worse"),
        (D("21.4"), D("25.0"), "decrease", D("-3.6"), "better"),
        (D(7), D(7), "increase", D(0), "same"),
    ],
)
def test_change_says_which_way_is_better(value, reference, direction, difference, trend):
    moved = change(value, reference, direction)
    assert (moved.difference, moved.trend) == (difference, trend)


@pytest.mark.parametrize("value, reference", [(None, D(1)), (D(1), None), (None, None)])
def test_no_change_without_both_figures(value, reference):
    assert change(value, reference, "increase") is None


# --- bounds ("over 874") ---------------------------------------------------------------------


def _q(quarter, value, qualifier="exact"):
    return Quarter(quarter, D(value), qualifier=qualifier)


@pytest.mark.parametrize(
    "aggregation, quarters, expected",
    [
        ("sum", [_q(1, 5), _q(2, 874, "at_least")], "at_least"),
        ("sum", [_q(1, 5, "at_most"), _q(2, 6)], "at_most"),
        ("sum", [_q(1, 5, "at_most"), _q(2, 6, "at_least")], "about"),
        ("sum", [_q(1, 5, "about"), _q(2, 6)], "about"),
        ("sum", [_q(1, 5), _q(2, 6)], "exact"),
        ("latest", [_q(1, 5, "at_least"), _q(3, 6)], "exact"),
        ("latest", [_q(1, 5), _q(3, 6, "at_most")], "at_most"),
        ("ratio", [Quarter(1, D(50), D(1), D(2), qualifier="at_least")], "about"),
        ("sum", [], "exact"),
    ],
)
def test_a_sum_that_includes_a_bound_is_a_bound(aggregation, quarters, expected):
    assert annual_qualifier(aggregation, quarters) == expected


@pytest.mark.parametrize(
    "direction, qualifier, value, expected",
    [
        ("increase", "at_least", D(900), ACH),  # over 874 with a target of 800: achieved
        ("increase", "at_least", D(500), UNKNOWN),  # over 500 might be over 800
        ("increase", "at_most", D(500), OFF),  # at most 500: at least that far below
        ("increase", "at_most", D(900), UNKNOWN),  # at most 900 might be under 800
        ("decrease", "at_most", D(500), ACH),
        ("decrease", "at_least", D(500), UNKNOWN),  # at least 500 might be over 700
        ("decrease", "at_least", D(900), RISK),  # at least 900: at least that bad
        ("increase", "about", D(500), OFF),
    ],
)
def test_a_bound_is_judged_honestly(direction, qualifier, value, expected):
    target = D(800) if direction == "increase" else D(700)
    assert (
        status(
            aggregation="latest",
            direction=direction,
            unit_kind="count",
            value=value,
            baseline=None,
            annual_target=target,
            elapsed_quarters=4,
            qualifier=qualifier,
        )
        == expected
    )
