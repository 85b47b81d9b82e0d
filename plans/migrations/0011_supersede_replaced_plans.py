"""Plans whose next year was published before publishing superseded them: mark them superseded now.

Without this they would stay current beside their successor, and every action and risk carried
forward would be counted twice. Reversing leaves them superseded: which were is not recorded apart.
"""

from django.db import migrations


def supersede_replaced_plans(apps, schema_editor):
    Plan = apps.get_model("plans", "Plan")
    replaced = Plan.objects.filter(status="published", successors__status="published")
    Plan.objects.filter(pk__in=list(replaced.values_list("pk", flat=True))).update(status="superseded")


class Migration(migrations.Migration):
    dependencies = [("plans", "0010_plan_superseded_and_withdrawn_rows")]

    operations = [migrations.RunPython(supersede_replaced_plans, migrations.RunPython.noop)]
