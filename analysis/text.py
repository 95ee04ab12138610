"""User text written into Markdown as plain text.

Names of organisations, partners and regions, norm texts and the reasons built from them are
typed by users. Wherever they land in Markdown (a heading, a list item, a table cell), every
renderer the memo meets (GitHub, Pandoc, Python-Markdown, Streamlit) must show them as the same
letters: never as HTML, a link, an image, emphasis, a heading, a list, code or maths.

Two steps, both pure functions:

- :func:`visible_text` makes the text one line with nothing hidden in it: white space (newlines,
  tabs, no-break spaces) becomes one space and the ends are trimmed; control, format and
  bidirectional characters (``U+202E`` and the like, zero-width spaces, NUL) are shown as their
  code, ``[U+202E]``, so a reversed or look-alike name is visible as such.
- :func:`escape_markdown` then writes that text so that Markdown shows it literally.
"""

from __future__ import annotations

import unicodedata

__all__ = ["MARKDOWN_PUNCTUATION", "escape_markdown", "visible_text"]

#: ASCII punctuation that :func:`escape_markdown` puts a backslash before. What each one starts
#: somewhere: ``\\`` an escape; ````` code; ``*`` ``_`` emphasis and list items; ``{`` ``}``
#: attributes (Pandoc, Python-Markdown); ``[`` ``]`` ``(`` ``)`` ``!`` links, images, footnotes,
#: Streamlit's ``:red[...]``, ordered lists ``1)``; ``#`` headings (also a closing ``#``);
#: ``+`` ``-`` ``.`` list items, rules, ``1.`` and ``www.`` autolinks; ``~`` strikethrough and
#: fences; ``$`` maths; ``^`` superscript; ``=`` heading underlines and highlights; ``:``
#: ``http:``/``javascript:`` autolinks, emoji codes and definition lists; ``@`` citations
#: (Pandoc) and e-mail autolinks. ``|`` is escaped in table cells only.
MARKDOWN_PUNCTUATION = "\\`*_{}[]()!#+-.~$^=:@"

# HTML's own characters become entities: Python-Markdown does not honour ``\<``, and an ``&``
# left alone could start an entity such as ``&lt;`` that a renderer would decode.
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}

_ESCAPES = str.maketrans({**{char: "\\" + char for char in MARKDOWN_PUNCTUATION}, **_ENTITIES})
_TABLE_ESCAPES = str.maketrans(
    {**{char: "\\" + char for char in MARKDOWN_PUNCTUATION}, **_ENTITIES, "|": "\\|"}
)

# Unicode categories: space separators, line and paragraph separators (white space) and
# controls, formats (bidi marks and overrides, zero-width characters) and lone surrogates.
_SPACE_CATEGORIES = frozenset({"Zs", "Zl", "Zp"})
_HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Cs"})


def visible_text(text: object) -> str:
    """``text`` as one line of visible characters: white space runs become one space (ends
    trimmed), every other control, format or bidi character is shown as ``[U+XXXX]``.

    >>> visible_text("  Opvang\\u202eNoord\\n\\tZuid\\u00a0 ")
    'Opvang[U+202E]Noord Zuid'
    >>> visible_text("Wolken\\u200bdal\\x00")
    'Wolken[U+200B]dal[U+0000]'
    """
    chars = []
    for char in str(text):
        category = unicodedata.category(char)
        if char in "\t\n\r" or category in _SPACE_CATEGORIES:
            chars.append(" ")
        elif category in _HIDDEN_CATEGORIES:
            chars.append(f"[U+{ord(char):04X}]")
        else:
            chars.append(char)
    return " ".join("".join(chars).split())


def escape_markdown(text: object, *, in_table: bool = False) -> str:
    """User text that Markdown shows literally, as :func:`visible_text` makes it.

    Markdown punctuation (:data:`MARKDOWN_PUNCTUATION`) gets a backslash, ``<``, ``>`` and
    ``&`` become entities, and with ``in_table`` a ``|`` is escaped so it cannot end the cell.
    The result is one line, safe anywhere in a line: at its start, in a heading, a list item or
    a table cell.

    >>> print(escape_markdown("<img src=x onerror=alert(1)> **vet**"))
    &lt;img src\\=x onerror\\=alert\\(1\\)&gt; \\*\\*vet\\*\\*
    >>> print(escape_markdown("[klik](javascript:alert(1))"))
    \\[klik\\]\\(javascript\\:alert\\(1\\)\\)
    >>> print(escape_markdown("Politie | Noord\\n", in_table=True))
    Politie \\| Noord
    """
    return visible_text(text).translate(_TABLE_ESCAPES if in_table else _ESCAPES)
