"""Shared fixtures: the seed data, and an owner, a colleague and an outsider."""

import os
from pathlib import Path

import pytest
from django.core.management import call_command

FIXTURES_DIR = Path(__file__).resolve().parent.parent / "fixtures"
SEED_FIXTURES = sorted(str(path) for path in FIXTURES_DIR.glob("*.yaml"))
# SEED_ONLY=a.yaml,b.yaml narrows the seed to some files while one is being written.
if os.environ.get("SEED_ONLY"):
    SEED_FIXTURES = [str(FIXTURES_DIR / name) for name in os.environ["SEED_ONLY"].split(",")]


@pytest.fixture
def seeded(db):
    """The five source documents, loaded exactly as `make run` loads them."""
    call_command("loaddata", *SEED_FIXTURES, verbosity=0)
