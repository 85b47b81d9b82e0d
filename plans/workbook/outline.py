"""The plan's outline from its workbook: the themes its actions sit under become the plan's Themes.

A plan states its structure as headings (theme, then local outcome or priority, then actions).
The Actions sheet's Theme column names each action's theme; the import creates the plan's
themes in the order they first appear, reuses those it already has (matched on their title,
ignoring case and spacing), and links each action to its own.
"""

import re

from plans.models import Theme


def _key(title):
    return re.sub(r"\s+", " ", title).strip().lower()


class PlanOutline:
    def __init__(self, plan, count):
        self.plan = plan
        self.count = count  # PlanImporter.count
        self.themes = {_key(theme.title): theme for theme in plan.themes.all()}
        self.next_order = max((theme.order for theme in self.themes.values()), default=0) + 1

    def theme(self, title):
        """The plan's theme of that title, created the first time it is named; None for no title."""
        if not title:
            return None
        key = _key(title)
        if key not in self.themes:
            self.themes[key] = Theme.objects.create(plan=self.plan, title=title, order=self.next_order)
            self.next_order += 1
            self.count("Themes", "created")
        return self.themes[key]
