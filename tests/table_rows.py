"""The rows a costly setup writes, read back once per session and written again into each test
that needs them: how the tests get the shipped Mali data (conftest.py says why and how) and the
admin tests their rows of every kind."""

import re

from django.apps import apps
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction

# The table an INSERT or UPDATE writes, as Django words them on SQLite and PostgreSQL (an m2m
# add is "INSERT OR IGNORE INTO" on SQLite).
WRITTEN_TABLE = re.compile(r'\s*(?:INSERT(?:\s+OR\s+\w+)?\s+INTO|UPDATE)\s+"(\w+)"', re.IGNORECASE)


class TableRows:
    """The rows of some tables, in the order the tables are to be written."""

    def __init__(self, tables):
        self.tables = tables  # [(table, columns, rows)], rows in primary key order

    @classmethod
    def read(cls, cursor, tables):
        """Every row of these tables, in this order."""
        read = []
        for table in tables:
            columns, rows = rows_by_key(cursor, table, with_columns=True)
            read.append((table, columns, list(rows.values())))
        return cls(read)

    def write(self):
        """INSERT the rows, with their ids, then move the sequences past them as loaddata
        does (on PostgreSQL; SQLite's move by themselves and the list is empty)."""
        quote = connection.ops.quote_name
        by_table = {
            model._meta.db_table: model for model in apps.get_models(include_auto_created=True)
        }
        models = [by_table[table] for table, _columns, _rows in self.tables]
        with connection.cursor() as cursor:
            for table, columns, rows in self.tables:
                names = ", ".join(quote(column) for column in columns)
                marks = ", ".join(["%s"] * len(columns))
                cursor.executemany(f"INSERT INTO {quote(table)} ({names}) VALUES ({marks})", rows)
            for sql in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(sql)

    def table_names(self):
        return [table for table, _columns, _rows in self.tables]


def rows_written_by(setup, *, on_top_of=None):
    """Run `setup` in a transaction that is then rolled back, and return the rows it wrote: in
    each table it wrote, the rows that were not there before, the tables in the order of their
    last write. With `on_top_of`, those rows are written first and `setup` runs on them."""
    written = []

    def note_table(execute, sql, params, many, context):
        match = WRITTEN_TABLE.match(sql)
        if match:
            written.append(match[1])
        return execute(sql, params, many, context)

    with transaction.atomic(), connection.cursor() as cursor:
        if on_top_of is not None:
            on_top_of.write()
        tables = connection.introspection.table_names(cursor)
        before = {table: rows_by_key(cursor, table) for table in tables}
        with connection.execute_wrapper(note_table):
            setup()
        order = list(reversed(dict.fromkeys(reversed(written))))  # each table at its last write
        new = []
        for table in tables:
            columns, after = rows_by_key(cursor, table, with_columns=True)
            if any(after.get(key) != row for key, row in before[table].items()):
                raise AssertionError(f"{table}: rows that were there before changed or went")
            added = [row for key, row in after.items() if key not in before[table]]
            if added and table not in order:
                raise AssertionError(f"{table}: rows were added by a statement not seen")
            new.append((table, columns, added))
        transaction.set_rollback(True)
    by_table = {table: (columns, rows) for table, columns, rows in new}
    return TableRows([(table, *by_table[table]) for table in order if by_table[table][1]])


def rows_loaddata_writes(*fixtures):
    """The rows `loaddata` of these fixtures writes (see rows_written_by)."""
    return rows_written_by(lambda: call_command("loaddata", *fixtures, verbosity=0))


def rows_by_key(cursor, table, *, with_columns=False):
    """{primary key: row} of the whole table, in primary key order."""
    quote = connection.ops.quote_name
    key = connection.introspection.get_primary_key_column(cursor, table)
    cursor.execute(f"SELECT * FROM {quote(table)} ORDER BY {quote(key)}")
    columns = [column[0] for column in cursor.description]
    at = columns.index(key)
    rows = {row[at]: row for row in cursor.fetchall()}
    return (columns, rows) if with_columns else rows
