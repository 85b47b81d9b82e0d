"""Slugs cut between words, never inside a word or a year, and made unique with a suffix."""

import re

from django.utils.text import slugify

# A year or a span of years as slugify leaves them: 2017, 2020-21, 2018-2021.
YEAR_RUN = re.compile(r"^(?:19|20)\d\d(?:-\d{2}(?:\d{2})?)?$")
SLUG_LIMIT = 90  # Plan.slug holds 100: room for a "-NN" suffix


def _tokens(slug):
    """The slug's words, a year with the span that follows it ("2020-21") kept as one token."""
    words = slug.split("-")
    tokens = []
    for word in words:
        if tokens and YEAR_RUN.match(f"{tokens[-1]}-{word}") and word.isdigit() and len(word) in (2, 4):
            tokens[-1] = f"{tokens[-1]}-{word}"
        else:
            tokens.append(word)
    return [token for token in tokens if token]


def slug_within(text, limit=SLUG_LIMIT):
    """slugify(text), at most `limit` characters, dropping whole words from the end.

    A year (or span of years) at the end is what tells plan years apart, so it is kept and the
    words before it are dropped instead.
    """
    # "2020/21" and "2018 – 2021" are two years: slugify alone would run them together as "202021".
    tokens = _tokens(slugify(re.sub(r"[/–—]", " ", text)))
    if not tokens:
        return ""
    year = tokens.pop() if len(tokens) > 1 and YEAR_RUN.match(tokens[-1]) else None
    room = limit - (len(year) + 1 if year else 0)
    kept = []
    for token in tokens:
        if len("-".join([*kept, token])) > room:
            break
        kept.append(token)
    if not kept and not year:
        return tokens[0][:limit]  # a single word longer than the limit: nothing better to keep
    return "-".join([*kept, year] if year else kept)


def unique_slug(model, text, limit=SLUG_LIMIT):
    """A slug for `text` no `model` row has yet: "-2", "-3" ... are added to the whole slug, never cut."""
    base = slug_within(text, limit)
    slug, n = base, 1
    while model.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug
