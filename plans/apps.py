from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class PlansConfig(AppConfig):
    name = "plans"

    def ready(self):
        # Each app contributes what its reminder emails list from its own `reminders` module.
        autodiscover_modules("reminders")
