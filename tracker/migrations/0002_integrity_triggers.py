"""Rules that span two tables, which CHECK constraints cannot express, kept by triggers so that
no path (a form, the admin, a fixture, a script) can break them."""

from django.db import migrations

from tracker.migration_helpers import create_rule_triggers, drop_rule_triggers

# (trigger name, table, condition that every new or changed row must meet, message)
RULES = [
    (
        "reportingperiod_year_in_plan",
        "tracker_reportingperiod",
        "NEW.year BETWEEN (SELECT start_year FROM tracker_plan WHERE id = NEW.plan_id)"
        " AND (SELECT end_year FROM tracker_plan WHERE id = NEW.plan_id)",
        "reporting period outside the years of its plan",
    ),
    (
        "annualtarget_year_in_plan",
        "tracker_annualtarget",
        "NEW.year BETWEEN"
        " (SELECT p.start_year FROM tracker_plan p JOIN tracker_indicator i ON i.plan_id = p.id"
        "  WHERE i.id = NEW.indicator_id)"
        " AND (SELECT p.end_year FROM tracker_plan p JOIN tracker_indicator i ON i.plan_id = p.id"
        "  WHERE i.id = NEW.indicator_id)",
        "annual target outside the years of its plan",
    ),
    (
        "budgetline_year_in_plan",
        "tracker_budgetline",
        "NEW.year BETWEEN"
        " (SELECT p.start_year FROM tracker_plan p JOIN tracker_activity a ON a.plan_id = p.id"
        "  WHERE a.id = NEW.activity_id)"
        " AND (SELECT p.end_year FROM tracker_plan p JOIN tracker_activity a ON a.plan_id = p.id"
        "  WHERE a.id = NEW.activity_id)",
        "budget line outside the years of its plan",
    ),
    (
        "indicatorvalue_period_in_plan",
        "tracker_indicatorvalue",
        "(SELECT plan_id FROM tracker_reportingperiod WHERE id = NEW.period_id)"
        " = (SELECT plan_id FROM tracker_indicator WHERE id = NEW.indicator_id)",
        "indicator value for a period of another plan",
    ),
    (
        "result_plan_matches_axis",
        "tracker_result",
        "NEW.plan_id = (SELECT plan_id FROM tracker_axis WHERE id = NEW.axis_id)",
        "result and its axis in different plans",
    ),
    (
        "opportunity_plan_matches_result",
        "tracker_opportunity",
        "NEW.plan_id = (SELECT plan_id FROM tracker_result WHERE id = NEW.result_id)",
        "opportunity and its result in different plans",
    ),
    (
        "indicator_plan_matches_result",
        "tracker_indicator",
        "NEW.plan_id = (SELECT plan_id FROM tracker_result WHERE id = NEW.result_id)"
        " AND (NEW.opportunity_id IS NULL OR NEW.result_id ="
        "  (SELECT result_id FROM tracker_opportunity WHERE id = NEW.opportunity_id))"
        " AND (NEW.parent_id IS NULL OR NEW.plan_id ="
        "  (SELECT plan_id FROM tracker_indicator WHERE id = NEW.parent_id))",
        "indicator outside the plan of its result, or under an opportunity of another result",
    ),
    (
        "activity_plan_matches_opportunity",
        "tracker_activity",
        "NEW.plan_id = (SELECT plan_id FROM tracker_opportunity WHERE id = NEW.opportunity_id)",
        "activity and its opportunity in different plans",
    ),
]


def create_triggers(apps, schema_editor):
    create_rule_triggers(schema_editor, RULES)


def drop_triggers(apps, schema_editor):
    drop_rule_triggers(schema_editor, RULES)


class Migration(migrations.Migration):
    dependencies = [("tracker", "0001_initial")]

    operations = [migrations.RunPython(create_triggers, drop_triggers)]
