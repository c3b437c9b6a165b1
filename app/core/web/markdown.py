"""Markdown in descriptions and comments: CommonMark with tables, strikethrough and bare links
(markdown-it-py), @mentions marked, then cleaned to a strict allow-list (nh3).

Images are not rendered: `![alt](url)` stays a plain link to the picture. A remote image in an
email or page is fetched by the reader's client as soon as it opens, telling the picture's
host who read what, when and from where (a tracking pixel), so nobody's words may make a
reader's browser or mail program call a third party without a click."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import nh3
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.renderer import RendererHTML
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict
from markupsafe import Markup

from app.core.mentions import mention_spans

# A mention is either a link ({handle: url}) or, where there is no page for it, just marked.
Mentions = Mapping[str, str] | frozenset[str]

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "del", "s", "code", "pre", "blockquote", "hr",
    "ul", "ol", "li", "a", "span", "h3", "h4", "h5", "h6",
    "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
LINK_REL = "nofollow noopener noreferrer"
# Page sections are <h2>: a heading written in a comment starts below them.
HEADING_SHIFT = 2

_CLEANER = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    clean_content_tags={"script", "style"},
    attributes={"a": {"href", "title"}, "ol": {"start"}, "th": {"style"}, "td": {"style"}},
    allowed_classes={"a": {"mention"}, "span": {"mention"}},
    filter_style_properties={"text-align"},
    url_schemes={"http", "https", "mailto"},
    link_rel=LINK_REL,
    strip_comments=True,
)


def _parser() -> MarkdownIt:
    # "html": False: raw HTML in the text is shown as text, never passed through.
    md = MarkdownIt("commonmark", {"html": False, "linkify": True, "typographer": False})
    md.enable(["table", "strikethrough", "linkify"])
    md.add_render_rule("image", _image_as_link)
    # "@ann@example.com" is a mention, not a mail link; a written mailto: link still works.
    assert md.linkify is not None
    md.linkify.set({"fuzzy_email": False})
    md.core.ruler.push("shift_headings", _shift_headings)
    md.core.ruler.push("mentions", _mark_mentions)
    return md


def _image_as_link(
    renderer: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    """A picture as a link to it, named by its alt text: the reader chooses to load it."""
    token = tokens[idx]
    src = str(token.attrGet("src") or "")
    alt = renderer.renderInlineAsText(token.children or [], options, env)
    return f'<a href="{escapeHtml(src)}">{escapeHtml(alt or src)}</a>'


def _shift_headings(state: StateCore) -> None:
    for token in state.tokens:
        if token.type in ("heading_open", "heading_close"):
            level = int(token.tag[1:]) + HEADING_SHIFT
            token.tag = f"h{min(level, 6)}"


def _mark_mentions(state: StateCore) -> None:
    """Wrap each @mention of a member in a link (or a span) in the text of every inline run,
    outside links and code: the text tokens of code spans and blocks are never looked at."""
    mentions: Mentions = state.env.get("mentions") or frozenset()
    if not mentions:
        return
    known = frozenset(mentions)
    for block in state.tokens:
        if block.type == "inline" and block.children:
            block.children = _with_mentions(block.children, known, mentions)


def _with_mentions(children: list[Token], known: frozenset[str], mentions: Mentions) -> list[Token]:
    result: list[Token] = []
    link_depth = 0
    for token in children:
        link_depth += {"link_open": 1, "link_close": -1}.get(token.type, 0)
        if token.type == "text" and link_depth == 0:
            result.extend(_split_mentions(token.content, known, mentions))
        else:
            result.append(token)
    return result


def _split_mentions(text: str, known: frozenset[str], mentions: Mentions) -> list[Token]:
    tokens, last = [], 0
    for start, end in mention_spans(text, known):
        tokens.append(_text(text[last:start]))
        tokens.extend(_mention(text[start:end], mentions))
        last = end
    tokens.append(_text(text[last:]))
    return [token for token in tokens if token.type != "text" or token.content]


def _text(content: str) -> Token:
    token = Token("text", "", 0)
    token.content = content
    return token


def _mention(written: str, mentions: Mentions) -> list[Token]:
    href = mentions.get(written[1:].lower()) if isinstance(mentions, Mapping) else None
    if href:
        opening = Token("link_open", "a", 1, attrs={"href": href, "class": "mention"})
        closing = Token("link_close", "a", -1)
    else:
        opening = Token("mention_open", "span", 1, attrs={"class": "mention"})
        closing = Token("mention_close", "span", -1)
    return [opening, _text(written), closing]


_MARKDOWN = _parser()


def render_markdown(text: str | None, mentions: Mentions | None = None) -> Markup:
    """Safe HTML for a description or comment; `mentions` maps each member handle (lower-case)
    to the link a mention of them gets, or is a set of handles to mark without a link."""
    if not text:
        return Markup("")
    env: dict[str, Any] = {"mentions": mentions or frozenset()}
    html = _MARKDOWN.render(text, env)
    return Markup(clean_html(html))


def plain_text(text: str) -> str:
    """The words of Markdown without its marks ("**bold**" reads "bold"), for one-line
    excerpts such as a history line; code keeps its text, block breaks become spaces."""
    words: list[str] = []
    for block in _MARKDOWN.parse(text):
        if block.type in ("code_block", "fence"):
            words.append(block.content)
        for token in block.children or []:
            if token.type in ("text", "code_inline"):
                words.append(token.content)
            elif token.type in ("softbreak", "hardbreak"):
                words.append(" ")
        if block.type.endswith("_close") or block.type in ("code_block", "fence"):
            words.append(" ")
    return " ".join("".join(words).split())


def clean_html(html: str) -> str:
    """HTML reduced to the allow-list: the one gate every rendered text passes through."""
    return _CLEANER.clean(html)
