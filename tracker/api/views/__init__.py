"""The API's views, by part: framework.py (plans, framework, periods), values.py (values and
their workflow), reports.py (completeness and the exchange exports)."""
