"""Building blocks used by migrations. They must keep working for every migration that calls
them, so change them only in ways old callers survive."""

from django.contrib.auth.management import create_permissions


def create_rule_triggers(schema_editor, rules):
    """rules: (name, table, condition every new or changed row must meet, message). The
    message must not contain quotes. Raises an integrity error on both engines."""
    vendor = schema_editor.connection.vendor
    for name, table, condition, message in rules:
        if vendor == "sqlite":
            for event in ("INSERT", "UPDATE"):
                schema_editor.execute(
                    f"CREATE TRIGGER {name}_{event.lower()} BEFORE {event} ON {table}"
                    f" FOR EACH ROW WHEN NOT ({condition})"
                    f" BEGIN SELECT RAISE(ABORT, '{message}'); END;"
                )
        elif vendor == "postgresql":
            schema_editor.execute(
                f"CREATE FUNCTION {name}() RETURNS trigger AS $$ BEGIN"
                f" IF NOT ({condition}) THEN"
                f" RAISE EXCEPTION '{message}' USING ERRCODE = 'check_violation';"
                f" END IF; RETURN NEW; END; $$ LANGUAGE plpgsql;"
            )
            schema_editor.execute(
                f"CREATE TRIGGER {name} BEFORE INSERT OR UPDATE ON {table}"
                f" FOR EACH ROW EXECUTE FUNCTION {name}();"
            )
        else:
            raise NotImplementedError(f"No integrity triggers for {vendor}.")


def drop_rule_triggers(schema_editor, rules):
    vendor = schema_editor.connection.vendor
    for name, table, _condition, _message in rules:
        if vendor == "sqlite":
            for event in ("insert", "update"):
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}_{event}")
        else:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
            schema_editor.execute(f"DROP FUNCTION IF EXISTS {name}()")


def grant_permissions(apps, group_permissions, *, replace=True):
    """Give each group the listed permissions ("codename" of the tracker app, or
    "app_label.codename"); with replace=False, add them to what the group has."""
    # Permissions are normally created after all migrations; the groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, codenames in group_permissions.items():
        wanted = {name if "." in name else f"tracker.{name}" for name in codenames}
        permissions = [
            permission
            for permission in Permission.objects.filter(
                codename__in=[name.split(".")[1] for name in wanted]
            ).select_related("content_type")
            if f"{permission.content_type.app_label}.{permission.codename}" in wanted
        ]
        missing = wanted - {
            f"{permission.content_type.app_label}.{permission.codename}"
            for permission in permissions
        }
        if missing:
            raise RuntimeError(f"Unknown permissions for {group_name}: {sorted(missing)}")
        group, _created = Group.objects.get_or_create(name=group_name)
        if replace:
            group.permissions.set(permissions)
        else:
            group.permissions.add(*permissions)


def create_closed_period_triggers(schema_editor, tables):
    """tables: (name, table, SQL giving a row's period status from {row}, NEW or OLD). No
    insert into a closed period, and no update of a row in or into one, whatever the path
    (the ORM, update(), raw SQL): an integrity error on both engines."""
    vendor = schema_editor.connection.vendor
    message = "the reporting period is closed"
    for name, table, status_of in tables:
        new, old = status_of.format(row="NEW"), status_of.format(row="OLD")
        if vendor == "sqlite":
            schema_editor.execute(
                f"CREATE TRIGGER {name}_insert BEFORE INSERT ON {table} FOR EACH ROW"
                f" WHEN {new} = 'closed' BEGIN SELECT RAISE(ABORT, '{message}'); END;"
            )
            schema_editor.execute(
                f"CREATE TRIGGER {name}_update BEFORE UPDATE ON {table} FOR EACH ROW"
                f" WHEN {new} = 'closed' OR {old} = 'closed'"
                f" BEGIN SELECT RAISE(ABORT, '{message}'); END;"
            )
        elif vendor == "postgresql":
            schema_editor.execute(
                f"CREATE FUNCTION {name}() RETURNS trigger AS $$ BEGIN"
                f" IF {new} = 'closed' THEN"
                f" RAISE EXCEPTION '{message}' USING ERRCODE = 'check_violation'; END IF;"
                f" IF TG_OP = 'UPDATE' THEN IF {old} = 'closed' THEN"
                f" RAISE EXCEPTION '{message}' USING ERRCODE = 'check_violation';"
                f" END IF; END IF; RETURN NEW; END; $$ LANGUAGE plpgsql;"
            )
            schema_editor.execute(
                f"CREATE TRIGGER {name} BEFORE INSERT OR UPDATE ON {table}"
                f" FOR EACH ROW EXECUTE FUNCTION {name}();"
            )
        else:
            raise NotImplementedError(f"No integrity triggers for {vendor}.")


def drop_closed_period_triggers(schema_editor, tables):
    drop_rule_triggers(schema_editor, [(name, table, None, None) for name, table, _ in tables])


def restore_sqlite_rule_triggers(schema_editor, rules):
    """SQLite rebuilds a table to alter a column or add a constraint, and the rebuild drops
    the table's triggers: a migration that does so on a table with rules creates them again."""
    if schema_editor.connection.vendor != "sqlite":
        return
    drop_rule_triggers(schema_editor, rules)
    create_rule_triggers(schema_editor, rules)


def restore_sqlite_closed_period_triggers(schema_editor, tables):
    """As restore_sqlite_rule_triggers, for the closed-period triggers."""
    if schema_editor.connection.vendor != "sqlite":
        return
    drop_closed_period_triggers(schema_editor, tables)
    create_closed_period_triggers(schema_editor, tables)


def sqlite_rebuild_guard(rules, closed_period_tables):
    """(before, after) functions for RunPython around operations that make SQLite rebuild a
    table: SQLite refuses to rebuild a table that other tables' triggers name, and the
    rebuild drops the table's own. `before` drops every trigger on SQLite, `after` creates
    them again; on PostgreSQL both do nothing."""

    def before(apps, schema_editor):
        if schema_editor.connection.vendor == "sqlite":
            drop_closed_period_triggers(schema_editor, closed_period_tables)
            drop_rule_triggers(schema_editor, rules)

    def after(apps, schema_editor):
        if schema_editor.connection.vendor == "sqlite":
            restore_sqlite_rule_triggers(schema_editor, rules)
            create_closed_period_triggers(schema_editor, closed_period_tables)

    return before, after
