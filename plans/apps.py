from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class PlansConfig(AppConfig):
    name = "plans"

    def ready(self):
        # Each app contributes its own parts of a plan year (workbook sheets, roll-over steps,
        # overview counts) and what its reminder emails list, as each app's admin.py contributes to the admin site.
        autodiscover_modules("workbook", "rollover", "overview", "reminders")
        from plans import dataversion

        dataversion.connect()
