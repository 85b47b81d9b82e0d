"""Generic views every app's pages are configured from."""

from django_filters.views import FilterView
from django_tables2 import SingleTableMixin


class ObjectListView(SingleTableMixin, FilterView):
    """A list page: subclasses set a queryset, a filterset_class and a table_class."""

    template_name = "generic/object_list.html"
    paginate_by = 25
    title = ""
    nav = ""

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=self.title, nav=self.nav, **kwargs)
