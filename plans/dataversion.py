"""The data version: a token that changes after every committed write, keying the dashboards' caches.

Cached figures are stored under the token read at the start of the request, so once a write commits
no reader can reach figures computed before it. Every model save, delete and many-to-many change in
a watched app (each app adds itself from its overview.py) marks its transaction as changing the data;
when it commits, the token changes, once per transaction. Bulk writes that send no signals call
`data_changed()` themselves. The token lives in the database, so every server process sees it;
the figures live in Django's cache (per process by default). Cache invalidation is all these
receivers do: no workflow runs in signals.
"""

import hashlib
import uuid

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from plans.models import DataVersion

WATCHED_APPS = {"plans"}
# Long enough to matter at quarter end, short enough that a write missed by a crash between its
# commit and the token's change (the one gap) is not shown for long.
CACHE_SECONDS = 600


def watch_app(label):
    """Writes to the app's models change the data version (called from each app's overview.py)."""
    WATCHED_APPS.add(label)


def _new_token():
    connection = transaction.get_connection()
    connection.sip_write_pending = False
    if not DataVersion.objects.filter(pk=1).update(token=uuid.uuid4().hex):
        DataVersion.objects.get_or_create(pk=1, defaults={"token": uuid.uuid4().hex})


def _pending(connection):
    """Whether this connection's open transaction has written data not yet committed."""
    registered = any(callback is _new_token for _, callback, _ in connection.run_on_commit)
    return getattr(connection, "sip_write_pending", False) and registered


def data_changed():
    """The data changes when the current transaction commits (now, outside one)."""
    connection = transaction.get_connection()
    if _pending(connection):
        return
    connection.sip_write_pending = True
    transaction.on_commit(_new_token)


def current_token():
    token = DataVersion.objects.filter(pk=1).values_list("token", flat=True).first()
    if token is None:
        _new_token()
        token = DataVersion.objects.values_list("token", flat=True).get(pk=1)
    return token


def cached(key, compute):
    """compute() under the current data version: cached until the next write.

    A request whose own transaction has uncommitted writes computes afresh: it must see them.
    """
    if _pending(transaction.get_connection()):
        return compute()
    digest = hashlib.sha256(repr((current_token(), *key)).encode()).hexdigest()
    found = cache.get(f"sip:{digest}")
    if found is None:
        found = compute()
        cache.set(f"sip:{digest}", found, CACHE_SECONDS)
    return found


def _on_write(sender, **kwargs):
    if kwargs.get("update_fields") == frozenset({"last_login"}):
        return  # signing in changes no figure
    data_changed()


def _watched(model):
    """A model of a watched app, or the user (the dashboards name who updated what)."""
    if model is DataVersion:
        return False
    return model._meta.app_label in WATCHED_APPS or model is get_user_model()


def connect():
    """Listen to the watched models only: a receiver for every model would end fast deletes everywhere."""
    for model in apps.get_models(include_auto_created=True):
        if _watched(model):
            uid = f"sip-data-version-{model._meta.label_lower}"
            post_save.connect(_on_write, sender=model, dispatch_uid=f"{uid}-save")
            post_delete.connect(_on_write, sender=model, dispatch_uid=f"{uid}-delete")
            m2m_changed.connect(_on_write, sender=model, dispatch_uid=f"{uid}-m2m")
