"""Markdown in descriptions and comments: what renders, what is cleaned, how mentions look."""

from __future__ import annotations

from app.core.mentions import Member, mention_links
from app.core.web.markdown import plain_text, render_markdown

LINKS = {"ann": "/projects/1/tasks?assignee=2", "bob.builder": "/projects/1/tasks?assignee=3"}


def test_bold_lists_and_links_render():
    html = render_markdown("**bold** and *soft*\n\n- one\n- two\n\n[docs](https://example.com/d)")
    assert "<strong>bold</strong>" in html and "<em>soft</em>" in html
    assert "<ul>\n<li>one</li>\n<li>two</li>\n</ul>" in html
    assert '<a href="https://example.com/d" rel="nofollow noopener noreferrer">docs</a>' in html


def test_tables_strikethrough_and_bare_links():
    html = render_markdown("| a | b |\n|--:|---|\n| 1 | 2 |\n\n~~gone~~ see https://example.com/x.")
    assert '<th style="text-align:right">a</th>' in html and "<td>2</td>" in html
    assert "<s>gone</s>" in html
    assert '<a href="https://example.com/x" rel="nofollow noopener noreferrer">' in html


def test_headings_start_below_the_page_sections():
    html = render_markdown("# Plan\n\n## Steps")
    assert "<h3>Plan</h3>" in html and "<h4>Steps</h4>" in html


def test_mentions_link_to_the_person_but_not_inside_code_or_links():
    html = render_markdown(
        "@ann look, not `@ann` nor [@ann](https://example.com) nor\n\n    @ann\n\n"
        "but @Bob.Builder.",
        LINKS,
    )
    assert html.count('class="mention"') == 2
    assert '<a href="/projects/1/tasks?assignee=2" class="mention"' in html
    assert "<code>@ann</code>" in html
    assert 'class="mention" rel="nofollow noopener noreferrer">@Bob.Builder</a>.' in html


def test_mentions_without_links_are_only_marked():
    html = render_markdown("hi @ann and @nobody", frozenset({"ann"}))
    assert '<span class="mention">@ann</span>' in html
    assert "@nobody" in html and html.count("mention") == 1


def test_a_mention_by_email_is_a_mention_not_a_mail_link():
    html = render_markdown("ask @ann@example.com", frozenset({"ann@example.com"}))
    assert '<span class="mention">@ann@example.com</span>' in html and "mailto" not in html


def test_raw_html_is_shown_as_text():
    html = render_markdown("<b onclick=alert(1)>hi</b><script>alert(1)</script>")
    assert "<b" not in html and "<script" not in html
    assert "&lt;script&gt;" in html


def test_images_become_links_the_reader_may_follow():
    html = render_markdown("![the plan](https://example.com/plan.png)")
    assert "<img" not in html
    assert (
        '<a href="https://example.com/plan.png" rel="nofollow noopener noreferrer">the plan</a>'
        in html
    )


def test_nothing_renders_to_nothing():
    assert render_markdown("") == "" and render_markdown(None) == ""


def test_plain_text_drops_the_marks_for_excerpts():
    text = "This is **bold**, see:\n\n- dig\n- [plant](https://example.com)\n\n`code`"
    assert plain_text(text) == "This is bold, see: dig plant code"


def test_mention_links_cover_every_handle_of_every_member():
    ann = Member(2, "Ann Lee", "ann@example.com")
    links = mention_links([ann], lambda user_id: f"/people/{user_id}")
    assert set(links) == {"ann", "annlee", "ann.lee", "ann@example.com"}
    assert set(links.values()) == {"/people/2"}
