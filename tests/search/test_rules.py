"""Search's pure rules: reading a query, the database query texts, highlights and snippets."""

from __future__ import annotations

from app.search.queries import where_it_matched
from app.search.rules import (
    MAX_QUERY_LENGTH,
    MAX_TERMS,
    Part,
    excerpt,
    highlighted,
    matches,
    parse_query,
    postgres_tsquery,
    snippet,
    sqlite_match,
)


def test_a_query_is_its_words_lowercased_each_once():
    query = parse_query("  Call   the SUPPLIER, call them! ")
    assert query.terms == ("call", "the", "supplier", "them")
    assert query.notice is None and query.is_searchable


def test_quotes_and_operators_separate_words_and_never_reach_the_database():
    assert parse_query('"budget" & !draft | x:* (a)').terms == ("budget", "draft", "x", "a")
    assert parse_query("o'brien foo_bar e-mail").terms == ("o", "brien", "foo", "bar", "e", "mail")
    assert parse_query("Ünïcode café 東京").terms == ("ünïcode", "café", "東京")


def test_nothing_typed_asks_for_nothing_and_only_signs_ask_for_words():
    assert parse_query(None).terms == () and parse_query("").notice is None
    only_signs = parse_query("&&| !! ''")
    assert only_signs.terms == () and "letters or digits" in (only_signs.notice or "")


def test_too_long_a_query_is_refused_with_the_limit_named():
    query = parse_query("x" * (MAX_QUERY_LENGTH + 1))
    assert query.terms == () and not query.is_searchable
    assert f"at most {MAX_QUERY_LENGTH} characters" in (query.notice or "")
    assert parse_query("x" * MAX_QUERY_LENGTH).terms == ("x" * MAX_QUERY_LENGTH,)


def test_more_words_than_the_limit_search_the_first_ones_and_say_so():
    query = parse_query(" ".join(f"w{n}" for n in range(12)))
    assert len(query.terms) == MAX_TERMS and query.terms[0] == "w0"
    assert "first 8 words" in (query.notice or "")


def test_database_query_texts_require_every_word_as_a_prefix():
    assert postgres_tsquery(("plan", "tul")) == "plan:* & tul:*"
    assert sqlite_match(("plan", "tul")) == '"plan"* "tul"*'


def test_matching_words_start_with_a_term_whatever_their_case():
    assert highlighted("Tulips and TULIP, not bestulip", ("tulip",)) == (
        Part("Tulips", True),
        Part(" and ", False),
        Part("TULIP", True),
        Part(", not bestulip", False),
    )
    assert highlighted("a.b", ("x",)) == (Part("a.b", False),)
    assert highlighted("", ("x",)) == ()


def test_highlights_keep_markup_as_plain_text_for_the_template_to_escape():
    parts = highlighted("<b>tulip</b>", ("tulip",))
    assert parts == (Part("<b>", False), Part("tulip", True), Part("</b>", False))


def test_a_term_with_regex_characters_is_taken_literally():
    assert highlighted("a+b", ("a",)) == (Part("a", True), Part("+b", False))


def test_matches_needs_every_term_at_a_word_start():
    assert matches("Call the supplier", ("call", "supp"))
    assert not matches("Recall the supplier", ("call", "supp"))


def test_an_excerpt_is_the_text_around_the_first_match_cut_at_spaces():
    text = (
        " ".join(f"word{n}" for n in range(100)) + " tulip " + " ".join("x" * 5 for _ in range(50))
    )
    cut = excerpt(text, ("tulip",), width=60)
    assert cut.startswith("…") and cut.endswith("…")
    assert "tulip" in cut and len(cut) <= 62
    assert cut == "…word98 word99 tulip xxxxx xxxxx xxxxx xxxxx xxxxx xxxxx…"  # whole words
    assert excerpt("short\n\ntext", ("x",)) == "short text"


def test_snippet_without_a_match_is_the_start_of_the_text():
    text = "alpha " * 60
    parts = snippet(text, ("zzz",), width=30)
    assert parts[0].text.startswith("alpha") and parts[0].text.endswith("…")


def test_where_it_matched_prefers_the_tasks_own_text_then_the_comment():
    terms = ("tulip",)
    place, parts, author = where_it_matched("Garden", "Plant tulips", ("Ann", "tulip"), terms)
    assert (place, author) == ("description", None) and Part("tulips", True) in parts
    place, parts, author = where_it_matched("Garden", "Roses", ("Ann", "A tulip here"), terms)
    assert (place, author) == ("comment", "Ann") and Part("tulip", True) in parts
    place, parts, author = where_it_matched("Tulip day", "Roses", None, terms)
    assert place == "title" and parts == (Part("Roses", False),)
