"""Counts with their nouns read right for 0, 1 and many, in code and in templates."""

import pytest
from flask import render_template_string

from app.core.plurals import ngettext, plural


@pytest.mark.parametrize(
    ("num", "expected"), [(0, "0 recipients"), (1, "1 recipient"), (2, "2 recipients")]
)
def test_plural_says_the_count_with_the_right_noun(num, expected):
    assert plural(num, "recipient") == expected


def test_irregular_plurals_and_gettext_shaped_variables():
    assert plural(3, "person", "people") == "3 people"
    assert plural(1, "person", "people") == "1 person"
    assert ngettext("%(num)d run of %(job)s", "%(num)d runs of %(job)s", 2, job="x") == (
        "2 runs of x"
    )


def test_templates_have_the_filter_and_ngettext(app):
    with app.test_request_context():
        text = render_template_string(
            "{{ 1|plural('admin') }}; {{ ngettext('%(num)d chunk', '%(num)d chunks', 4) }}"
        )
    assert text == "1 admin; 4 chunks"
