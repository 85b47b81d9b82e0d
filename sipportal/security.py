"""Sign-in throttling: who is signing in from where, and what a locked-out user is told."""

from django.conf import settings
from django.shortcuts import render


def client_ip(request):
    """The address a request came from.

    Behind a TLS proxy (BEHIND_TLS_PROXY) every request arrives from the proxy, so the client is the
    last address the proxy appended to X-Forwarded-For; earlier entries are the client's to forge.
    """
    if settings.BEHIND_TLS_PROXY:
        forwarded = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
        if forwarded:
            return forwarded[-1]
    return request.META.get("REMOTE_ADDR")


def locked_out(request, original_response=None, credentials=None):
    """The sign-in page's answer once django-axes has locked a username or an address out."""
    context = {
        "title": "Sign in to SIP Portal",
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "minutes": round(settings.AXES_COOLOFF_TIME.total_seconds() / 60),
    }
    return render(request, "registration/locked_out.html", context, status=429)
