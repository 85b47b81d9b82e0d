import pytest
from django.core.exceptions import ValidationError

from sipportal.services import model_update
from tests.factories import RiskFactory


@pytest.mark.django_db
def test_model_update_sets_only_the_fields_that_differ_and_does_not_save():
    risk = RiskFactory(title="Workforce shortage", likelihood=2)

    changed = model_update(risk, {"title": "Workforce shortage", "likelihood": 4})

    assert changed == ["likelihood"]
    assert risk.likelihood == 4
    risk.refresh_from_db()
    assert risk.likelihood == 2


@pytest.mark.django_db
def test_model_update_refuses_a_value_its_field_does_not_allow():
    risk = RiskFactory()

    with pytest.raises(ValidationError) as refused:
        model_update(risk, {"likelihood": 9})

    assert "likelihood" in refused.value.message_dict
