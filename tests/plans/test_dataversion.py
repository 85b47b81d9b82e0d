"""The data version: a committed write makes every cached figure unreachable at once."""

import pytest
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone

from plans import dataversion
from plans.models import DataVersion
from tests.factories import ActionFactory, PlanFactory, RiskFactory


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run the block's on-commit callbacks, as a real commit would (tests never commit)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def test_a_committed_write_changes_the_token_once_per_transaction(db, committed):
    before = dataversion.current_token()
    with committed() as callbacks, transaction.atomic():
        plan = PlanFactory()
        ActionFactory.create_batch(3, plan=plan)
    assert callbacks == [dataversion._new_token]
    assert dataversion.current_token() != before


def test_a_rolled_back_write_changes_nothing_and_the_next_write_still_counts(db, committed):
    before = dataversion.current_token()
    with committed() as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            PlanFactory()
            raise RuntimeError("import failed")
        assert dataversion.current_token() == before
        PlanFactory()
    assert callbacks == [dataversion._new_token]
    assert dataversion.current_token() != before


def test_signing_in_changes_no_figure(db, committed, superuser):
    before = dataversion.current_token()
    with committed() as callbacks:
        superuser.save(update_fields=["last_login"])
    assert callbacks == []
    assert dataversion.current_token() == before


def test_cached_figures_last_until_the_next_committed_write(db, committed):
    computed = []

    def compute():
        computed.append(1)
        return len(computed)

    with committed():
        PlanFactory()
    assert dataversion.cached(("figures",), compute) == 1
    assert dataversion.cached(("figures",), compute) == 1  # from the cache
    assert dataversion.cached(("other figures",), compute) == 2
    with committed():
        PlanFactory()
    assert dataversion.cached(("figures",), compute) == 3


def test_a_request_with_its_own_uncommitted_write_is_never_served_from_the_cache(db, committed):
    with committed():
        PlanFactory()
    assert dataversion.cached(("figures",), lambda: "before") == "before"
    PlanFactory()  # not committed: this connection sees it, the cache does not
    assert dataversion.cached(("figures",), lambda: "after") == "after"


def test_a_missing_version_row_is_made_on_first_read(db):
    DataVersion.objects.all().delete()
    assert dataversion.current_token() == DataVersion.objects.get(pk=1).token


def test_writes_to_every_watched_app_and_to_links_count(db, commit, superuser):
    action = ActionFactory()
    commit()

    def token_after(write):
        before = dataversion.current_token()
        write()
        commit()
        return dataversion.current_token() != before

    assert token_after(lambda: RiskFactory(partnership=action.plan.partnership, plan=action.plan))
    assert token_after(lambda: action.responsible_users.add(superuser))
    key = "k" * 32
    assert not token_after(lambda: Session.objects.create(session_key=key, session_data="", expire_date=timezone.now()))


def test_an_identical_reimport_keeps_the_token_and_a_changing_one_moves_it(db, committed, django_user_model):
    from plans.import_services import plan_import
    from plans.workbook.writer import export_plan
    from tests.plans.workbook.books import edit_workbook

    with committed():  # the fixtures' own writes, committed as a real set-up would be
        superuser = django_user_model.objects.create(username="root", is_superuser=True)
        plan = PlanFactory()
        ActionFactory(plan=plan, reference="A01")
    content = export_plan(plan)
    before = dataversion.current_token()
    with committed():
        result = plan_import(content=content, filename="same.xlsx", user=superuser, dry_run=False)
    assert result.written and dataversion.current_token() == before
    edited = edit_workbook(content, "Actions", edits={"A01": {"Responsible": "Head of service"}})
    with committed():
        plan_import(content=edited, filename="edited.xlsx", user=superuser, dry_run=False)
    assert dataversion.current_token() != before
