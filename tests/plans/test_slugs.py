"""Slugs are cut between words, never inside a word or a year, and made unique without cutting again."""

import pytest
from django.utils.text import slugify

from plans.models import Plan
from plans.slugs import slug_within, unique_slug
from tests.factories import PlanFactory

LONG_TITLE = (
    "east-ayrshire-hscp Children's Health, Care and Justice Service Improvement Plan for the Whole Partnership Area"
)


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        ("Short plan 2020/21", 90, "short-plan-2020-21"),
        ("alpha beta gamma", 12, "alpha-beta"),
        ("alpha beta gamma 2017", 17, "alpha-beta-2017"),
        ("alpha beta gamma 2020-21", 17, "alpha-2020-21"),
        ("alpha beta gamma 2020 – 2021", 22, "alpha-beta-2020-2021"),
        ("supercalifragilistic", 10, "supercalif"),  # one word longer than the limit: nothing else to keep
    ],
)
def test_slug_within_cuts_between_words_and_keeps_the_year(text, limit, expected):
    assert slug_within(text, limit) == expected


def test_a_long_title_keeps_its_year_whole():
    slug = slug_within(f"{LONG_TITLE} 2021", 90)
    assert len(slug) <= 90 and slug.endswith("-2021")
    words = slug.removesuffix("-2021").split("-")
    assert all(word in slugify(LONG_TITLE).split("-") for word in words)


@pytest.mark.django_db
def test_unique_slug_adds_a_suffix_without_cutting_again():
    first = unique_slug(Plan, f"{LONG_TITLE} 2021")
    PlanFactory(slug=first)
    second = unique_slug(Plan, f"{LONG_TITLE} 2021")
    assert second == f"{first}-2"
    PlanFactory(slug=second)
    assert unique_slug(Plan, f"{LONG_TITLE} 2021") == f"{first}-3"
    assert Plan.unique_slug(f"{LONG_TITLE} 2021") == f"{first}-3"
