"""Counts read right in every language, by that language's own plural rules (CLDR): French
says "0 jour" as it says "1 jour", German "0 Tagen", Japanese has one form."""

import pytest
from flask import render_template_string
from flask_babel import ngettext

from app.core.i18n import in_language

DAYS = ("in %(num)d day", "in %(num)d days")


@pytest.mark.parametrize(
    ("language", "num", "expected"),
    [
        ("en", 0, "in 0 days"),
        ("en", 1, "in 1 day"),
        ("de", 0, "in 0 Tagen"),
        ("de", 1, "in 1 Tag"),
        ("de", 3, "in 3 Tagen"),
        ("fr", 0, "dans 0 jour"),
        ("fr", 1, "dans 1 jour"),
        ("fr", 2, "dans 2 jours"),
        ("fr", 1_000_000, "dans 1000000 jours"),
        ("es", 1, "en 1 día"),
        ("es", 2, "en 2 días"),
        ("ja", 1, "1 日後"),
        ("ja", 5, "5 日後"),
    ],
)
def test_each_language_counts_by_its_own_rules(app, language, num, expected):
    with app.test_request_context(), in_language(language):
        assert ngettext(*DAYS, num) == expected


def test_templates_count_with_ngettext_and_trans_pluralize(app):
    source = (
        "{{ ngettext('in %(num)d day', 'in %(num)d days', 4) }}; "
        "{% trans count=1 %}{{ count }} day{% pluralize %}{{ count }} days{% endtrans %}"
    )
    with app.test_request_context(), in_language("de"):
        assert render_template_string(source) == "in 4 Tagen; 1 Tag"
