from django.db import migrations


def use_binary_collation(apps, schema_editor) -> None:
    """Compare member values byte by byte on PostgreSQL.

    Identifiers are matched exactly, never by language rules, and byte
    comparison keeps index inserts and sorts cheap whatever the database's
    default collation.
    """
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        'ALTER TABLE segments_member ALTER COLUMN value TYPE varchar(255) COLLATE "C"'
    )


class Migration(migrations.Migration):
    dependencies = [("segments", "0001_initial")]

    operations = [
        migrations.RunPython(use_binary_collation, migrations.RunPython.noop),
    ]
