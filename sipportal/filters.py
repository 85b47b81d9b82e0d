"""Shared by every app's FilterSets."""

import django_filters


class SearchFilterSet(django_filters.FilterSet):
    """A FilterSet with the free-text search box; each subclass says what `search` matches."""

    q = django_filters.CharFilter(method="search", label="Search")

    def search(self, queryset, name, value):
        raise NotImplementedError(f"{type(self).__name__} must say what its search matches.")
