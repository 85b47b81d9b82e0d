"""Database sessions that end after SESSION_COOKIE_AGE seconds without use.

Django's SESSION_SAVE_EVERY_REQUEST would write the session row on every page. This store renews
the expiry only once it has run down by REFRESH_AFTER, so an idle timeout costs one write every
few minutes of use.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.utils import timezone

REFRESH_AFTER = timedelta(minutes=1)


class SessionStore(DatabaseSessionStore):
    def load(self):
        data = super().load()
        expires = getattr(self, "_loaded_expiry", None)
        if expires and expires - timezone.now() < timedelta(seconds=settings.SESSION_COOKIE_AGE) - REFRESH_AFTER:
            self.modified = True  # the session middleware saves it, with a fresh expiry
        return data

    def _get_session_from_db(self):
        session = super()._get_session_from_db()
        self._loaded_expiry = session.expire_date if session else None
        return session
