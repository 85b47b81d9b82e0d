"""Where a running import writes how far it has got, so that any web process can show it.

The import writes its rows in one transaction. Progress written through that transaction's own
connection would only become visible when it commits, so on PostgreSQL the reporter writes through
a second, autocommit connection. SQLite allows one writer at a time, so there the writing stage
shows its progress when it commits; the reading stage (outside the transaction) shows it live.
"""

import json

from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.utils import timezone

from plans.models import PlanImport


class ImportProgress:
    """Callable as on_progress(stage, done, total); `close()` when the import ends."""

    def __init__(self, plan_import_id):
        self.plan_import_id = plan_import_id
        # Only a task that started outside any transaction may write through a second connection:
        # inside one (the immediate backend in a request), that connection would wait on our own locks.
        self.side_connection = None
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            self.side_connection = connections.create_connection(DEFAULT_DB_ALIAS)

    def __call__(self, stage, done, total):
        progress = {"stage": stage, "done": done, "total": total}
        now = timezone.now()
        if self.side_connection is not None and connection.in_atomic_block:
            table = PlanImport._meta.db_table
            with self.side_connection.cursor() as cursor:
                cursor.execute(
                    f"UPDATE {table} SET progress = %s::jsonb, heartbeat_at = %s WHERE id = %s",  # noqa: S608
                    [json.dumps(progress), now, self.plan_import_id],
                )
        else:
            PlanImport.objects.filter(pk=self.plan_import_id).update(progress=progress, heartbeat_at=now)

    def close(self):
        if self.side_connection is not None:
            self.side_connection.close()
