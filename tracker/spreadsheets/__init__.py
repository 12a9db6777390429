"""The quarter in Excel (DESIGN.md §4): a pre-filled template for one institution and one period
(template.py, its signed keys in keys.py), read back safely (safety.py on the raw bytes, then
reading.py and cells.py), previewed and committed through the entry form and the services
(importing.py)."""
