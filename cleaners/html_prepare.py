"""What the parsed page needs before trafilatura reads it.

Two things trafilatura gets wrong for us, both fixed on the tree:

- It extracts text the page never shows: `<p hidden>`, `style="display:
  none"` (templates, collapsed menus, test fixtures). Readability.js drops
  such nodes; so do we (`drop_hidden`).
- It silently drops a paragraph that repeats the one before it, meant for
  its own overlapping-candidate artifacts, and so loses text a page really
  repeats. Our rule is that a line is never removed for being repeated alone:
  `rule_doubled_line` decides, with a reason code, and keeps paragraphs. So
  every later copy of a long block gets a distinct invisible marker here,
  trafilatura sees different texts, and `unmark` takes the markers out of its
  output before anything else reads it.
"""

from __future__ import annotations

from lxml.html import HtmlElement
from trafilatura.settings import MIN_DUPLICATE_LENGTH

# U+2063 INVISIBLE SEPARATOR: not whitespace to trafilatura's trim() (which
# would fold it away) and carries no text, so stripping it loses nothing.
MARK = "\u2063"
# The blocks trafilatura emits as one paragraph each. A div counts only as a
# leaf: with children it is a container, and its children are marked instead.
_BLOCKS = ("p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "figcaption", "dd", "dt", "td", "div")
_HIDDEN = (
    "//body//*[@hidden"
    " or contains(translate(@style, ' ', ''), 'display:none')"
    " or contains(translate(@style, ' ', ''), 'visibility:hidden')]"
)
# A hidden element holding most of the page's text is content a script
# reveals on load (`<div id="article" style="display:none">`), not a hidden
# extra: it stays.
_MAX_HIDDEN_SHARE = 0.5


def _text_length(element: HtmlElement) -> int:
    return len(" ".join(element.text_content().split()))


def drop_hidden(tree: HtmlElement) -> int:
    """Remove the elements the page hides from its readers; return how many."""
    hidden = tree.xpath(_HIDDEN)
    if not hidden:
        return 0
    bodies = tree.xpath("//body")
    page_chars = _text_length(bodies[0]) if bodies else 0
    dropped: set[HtmlElement] = set()
    for element in hidden:  # document order: ancestors come first
        if any(ancestor in dropped for ancestor in element.iterancestors()):
            continue  # went with its ancestor
        if page_chars and _text_length(element) > _MAX_HIDDEN_SHARE * page_chars:
            continue
        element.drop_tree()
        dropped.add(element)
    return len(dropped)


def mark_repeats(tree: HtmlElement) -> int:
    """Give every later copy of a long block's text its own marker; return how many."""
    seen: dict[str, int] = {}
    marked = 0
    for element in tree.iter(*_BLOCKS):
        if element.tag == "div" and len(element):
            continue
        text = " ".join(element.text_content().split())
        if len(text) <= MIN_DUPLICATE_LENGTH:  # shorter repeats trafilatura keeps anyway
            continue
        copies = seen.get(text, 0)
        seen[text] = copies + 1
        if copies:
            element.text = (element.text or "") + MARK * copies
            marked += 1
    return marked


def unmark(text: str) -> str:
    return text.replace(MARK, "")
