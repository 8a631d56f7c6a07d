"""Trigram indexes that serve the register's search (PostgreSQL only; nothing on SQLite).

The search matches name, code, description, intended purpose and business unit with `icontains`,
which Django writes as `UPPER(col::text) LIKE UPPER('%term%')`: a GIN trigram index on the same
expression lets PostgreSQL answer it from the index instead of scanning every system.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

SEARCHED = ("name", "code", "description", "intended_purpose", "business_unit")


def _postgresql(schema_editor) -> bool:
    return schema_editor.connection.vendor == "postgresql"


def create_indexes(apps, schema_editor):
    if not _postgresql(schema_editor):
        return
    for column in SEARCHED:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS system_search_{column}_trgm ON registry_aisystem "
            f"USING gin ((UPPER({column}::text)) gin_trgm_ops)"
        )


def drop_indexes(apps, schema_editor):
    if not _postgresql(schema_editor):
        return
    for column in SEARCHED:
        schema_editor.execute(f"DROP INDEX IF EXISTS system_search_{column}_trgm")


class Migration(migrations.Migration):
    dependencies = [("registry", "0005_list_order_indexes")]

    operations = [
        # A no-op on other databases (CreateExtension checks the vendor itself).
        TrigramExtension(),
        migrations.RunPython(create_indexes, drop_indexes, elidable=False),
    ]
