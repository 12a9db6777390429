"""Rows of whole tables, read back from the database and written again: how the tests get the
shipped Mali data once per session (conftest.py says why and how)."""

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
        quote = connection.ops.quote_name
        read = []
        for table in tables:
            key = connection.introspection.get_primary_key_column(cursor, table)
            cursor.execute(f"SELECT * FROM {quote(table)} ORDER BY {quote(key)}")
            columns = [column[0] for column in cursor.description]
            read.append((table, columns, cursor.fetchall()))
        return cls(read)

    def write(self, cursor):
        """INSERT the rows, with their ids, then move the sequences past them as loaddata
        does (on PostgreSQL; SQLite's move by themselves and the list is empty)."""
        quote = connection.ops.quote_name
        for table, columns, rows in self.tables:
            names = ", ".join(quote(column) for column in columns)
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {quote(table)} ({names}) VALUES ({marks})", rows)
        by_table = {
            model._meta.db_table: model for model in apps.get_models(include_auto_created=True)
        }
        models = [by_table[table] for table, _columns, _rows in self.tables]
        for sql in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(sql)

    def table_names(self):
        return [table for table, _columns, _rows in self.tables]


def rows_loaddata_writes(*fixtures):
    """Run loaddata in a transaction that is then rolled back, and return what it wrote: every
    row of every table it wrote (each empty before), the tables in the order of their last
    write."""
    written = []

    def note_table(execute, sql, params, many, context):
        match = WRITTEN_TABLE.match(sql)
        if match:
            written.append(match[1])
        return execute(sql, params, many, context)

    with transaction.atomic(), connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        before = {table: count(cursor, table) for table in tables}
        with connection.execute_wrapper(note_table):
            call_command("loaddata", *fixtures, verbosity=0)
        changed = {table for table in tables if count(cursor, table) != before[table]}
        order = list(reversed(dict.fromkeys(reversed(written))))  # each table at its last write
        if not changed <= set(order):
            raise AssertionError(f"loaddata wrote tables unseen: {sorted(changed - set(order))}")
        if any(before[table] for table in order):
            raise AssertionError("loaddata wrote into a table that was not empty")
        rows = TableRows.read(cursor, order)
        transaction.set_rollback(True)
    return rows


def count(cursor, table):
    cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
    return cursor.fetchone()[0]
