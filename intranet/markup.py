"""Markdown written by employees, rendered to HTML that is safe to show: markdown-it-py renders it with raw
HTML turned off, nh3 (a sanitiser in Rust) keeps only the tags below, drops every attribute that could run
script, allows http(s) and mailto links only, and gives every link rel="nofollow noopener"."""

import re
from collections.abc import Mapping

import nh3
from markdown_it import MarkdownIt
from markdown_it.token import Token

_markdown = MarkdownIt("commonmark", {"html": False, "breaks": True}).enable("strikethrough").enable("table")

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "del", "s", "code", "pre", "blockquote", "ul", "ol", "li",
    "a", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}, "th": {"align"}, "td": {"align"}}


def markdown_render(text: str) -> str:
    """`text` (Markdown) as sanitised HTML."""
    return nh3.clean(
        _markdown.render(text),
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener",
    )


# --- @mentions -----------------------------------------------------------------------------------------
# A mention is @ and the local part of a colleague's work address (@ines.author for ines.author@…), which
# is unique among employees of one company domain and already known to everyone who emails them. It is
# found only in plain text: not inside a link, inline code or a code block, nor in an email address.
MENTION = re.compile(r"(?<![\w.@/+-])@([a-z0-9](?:[a-z0-9._+-]{0,62}[a-z0-9_+-])?)", re.IGNORECASE)


def _plain_text_tokens(tokens):
    """The inline `text` tokens of a parsed document that are not inside a link, with their parent."""
    for token in tokens:
        if token.type != "inline" or not token.children:
            continue
        depth = 0
        for child in token.children:
            if child.type == "link_open":
                depth += 1
            elif child.type == "link_close":
                depth -= 1
            elif child.type == "text" and depth == 0:
                yield token, child


def mentions_find(text: str) -> list[str]:
    """The handles mentioned in `text` (lower case, each once, in order of appearance)."""
    found: dict[str, None] = {}
    for _, child in _plain_text_tokens(_markdown.parse(text or "")):
        for handle in MENTION.findall(child.content):
            found.setdefault(handle.lower(), None)
    return list(found)


def _linked(child: Token, people: Mapping[str, tuple[str, str]]) -> list[Token]:
    """`child` (a text token) split around the mentions of `people` (handle -> (url, name)) into links."""
    parts, at = [], 0
    for match in MENTION.finditer(child.content):
        person = people.get(match.group(1).lower())
        if person is None:
            continue
        if match.start() > at:
            parts.append(Token("text", "", 0, content=child.content[at : match.start()]))
        parts.append(Token("link_open", "a", 1, attrs={"href": person[0]}))
        parts.append(Token("text", "", 0, content=f"@{person[1]}"))
        parts.append(Token("link_close", "a", -1))
        at = match.end()
    if not parts:
        return [child]
    if at < len(child.content):
        parts.append(Token("text", "", 0, content=child.content[at:]))
    return parts


def markdown_render_mentions(text: str, people: Mapping[str, tuple[str, str]]) -> str:
    """Like markdown_render, with each mention of `people` (handle -> (url, name)) a link to that person
    showing their name; other @words stay text. The result goes through the same sanitiser."""
    tokens = _markdown.parse(text or "")
    if people:
        for token in tokens:
            if token.type != "inline" or not token.children:
                continue
            children, depth = [], 0
            for child in token.children:
                depth += {"link_open": 1, "link_close": -1}.get(child.type, 0)
                children.extend(_linked(child, people) if child.type == "text" and depth == 0 else [child])
            token.children = children
    html = _markdown.renderer.render(tokens, _markdown.options, {})
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener",
    )
