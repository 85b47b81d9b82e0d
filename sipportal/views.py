"""Generic views every app's pages are configured from."""

from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import slugify
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from sipportal.exports import csv_response, xlsx_response


class ObjectListView(SingleTableMixin, FilterView):
    """A list page: subclasses set a queryset, a filterset_class and a table_class.

    With `export_formats`, `?export=csv` or `?export=xlsx` downloads the filtered rows, with the
    columns the table declares in `export_columns()`.
    """

    template_name = "generic/object_list.html"
    paginate_by = 25
    title = ""
    nav = ""
    export_formats = ()

    def render_to_response(self, context, **kwargs):
        export_format = self.request.GET.get("export")
        if export_format in self.export_formats:
            columns = self.get_table_class().export_columns()
            filename = slugify(self.title) or "export"
            rows = self.get_export_queryset()
            if export_format == "csv":
                return csv_response(columns, rows, filename)
            return xlsx_response(columns, rows, filename, sheet_title=self.title)
        return super().render_to_response(context, **kwargs)

    def paginate_queryset(self, queryset, page_size):
        # The table paginates, and counts, the rows itself; ListView would run the same COUNT(*) again.
        return None, None, queryset, False

    def get_export_queryset(self):
        """The filtered rows, unpaginated; override to add what only the download shows."""
        return self.object_list

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=self.title, nav=self.nav, export_formats=self.export_formats, **kwargs)


def safe_next_url(request):
    """The ?next= address to return to, if it is on this site; otherwise None."""
    target = request.POST.get("next") or request.GET.get("next")
    allowed = url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure())
    return target if allowed else None
