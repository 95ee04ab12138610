"""User text written into Markdown as plain text.

Names of organisations, partners and regions, norm texts and the reasons built from them are
typed by users. Wherever they land in Markdown (a heading, a list item, a table cell), every
renderer the memo meets (GitHub, Pandoc, Python-Markdown, Streamlit) must show them as the same
letters: never as HTML, a link, an image, emphasis, a heading, a list, code or maths.

Two steps, and an optional third, all pure functions:

- :func:`visible_text` makes the text one line with nothing hidden in it: white space (newlines,
  tabs, no-break spaces) becomes one space and the ends are trimmed; control, format and
  bidirectional characters (``U+202E`` and the like, zero-width spaces, NUL) are shown as their
  code, ``[U+202E]``, so a reversed or look-alike name is visible as such.
- :func:`escape_markdown` then writes that text so that Markdown shows it literally. It escapes
  only what can start markup where it stands, so ordinary names and sentences (``Noord-Oost``,
  ``(norm 4.1)``, ``in 2026-Q3: 4 gezinnen``) come out as they are and a pasted memo stays
  readable.
- :func:`break_autolinks` puts an invisible word joiner inside web and e-mail addresses and
  mentions. GitHub's pages and Streamlit also find addresses in the text *after* parsing, where
  escapes no longer count; the memo uses it, and the pages (``ui/common``) do the same.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = [
    "MARKDOWN_PUNCTUATION",
    "WORD_JOINER",
    "break_autolinks",
    "escape_markdown",
    "visible_text",
]

#: ASCII punctuation that always gets a backslash, wherever it stands: ``\\`` an escape;
#: ````` code; ``*`` ``_`` emphasis, list items and rules; ``{`` ``}`` attributes (Pandoc,
#: Python-Markdown); ``[`` ``]`` links, images (``!`` is harmless without ``[``), footnotes,
#: task boxes and Streamlit's ``:red[...]``; ``#`` headings, also a closing ``#`` at a heading's
#: end; ``~`` strikethrough, subscript and fences; ``$`` maths; ``^`` superscript; ``=``
#: highlights and heading underlines; ``@`` citations (Pandoc) and e-mail autolinks.
MARKDOWN_PUNCTUATION = "\\`*_{}[]#~$^=@"

# Only at the very start can these open a block (a list item ``- x``/``+ x``, an example list
# ``(a)``, a definition ``: x``, a line block ``| x``); inside a line they are plain text.
_AT_START = frozenset("-+:(|")

# At the start, ``1.``, ``a)`` or ``iv.`` followed by a space (or nothing) is a list marker.
_LIST_MARKER = re.compile(r"[0-9A-Za-z]+([.)])(?: |$)")

#: The invisible character :func:`break_autolinks` puts inside an address (U+2060).
WORD_JOINER = "\u2060"

# Where an address or a mention starts: ``www.``, a scheme's ``:`` (``http://``, ``mailto:x``)
# and ``@`` (e-mail, ``@mention``); escaped or not.
_ADDRESS_STARTS = re.compile(r"(?i:www)(?=\\?\.)|\\?:(?=\S)|\\?@")

# HTML's own characters become entities: Python-Markdown does not honour ``\<``, and an ``&``
# left alone could start an entity such as ``&lt;`` that a renderer would decode.
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}

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

    The result is one line, safe anywhere in a line of Markdown: at its start, in a heading, a
    list item or (with ``in_table``) a table cell. What is escaped:

    - ``<``, ``>`` and ``&`` become entities (no HTML, no autolink ``<http://...>``);
    - :data:`MARKDOWN_PUNCTUATION` always gets a backslash;
    - ``:`` gets one unless a space or the end follows (``http:``, ``javascript:``,
      ``:emoji:``), ``.`` after ``www`` (GitHub's ``www.`` autolinks);
    - at the start: ``-``, ``+``, ``:``, ``(``, ``|`` and the ``.``/``)`` of a list marker;
    - with ``in_table``, ``|`` (it would end the cell).

    >>> print(escape_markdown("<img src=x onerror=alert(1)> **vet**"))
    &lt;img src\\=x onerror\\=alert(1)&gt; \\*\\*vet\\*\\*
    >>> print(escape_markdown("[klik](javascript:alert(1))"))
    \\[klik\\](javascript\\:alert(1))
    >>> print(escape_markdown("- lijst"), escape_markdown("1. kop"), escape_markdown("Noord-Oost"))
    \\- lijst 1\\. kop Noord-Oost
    >>> print(escape_markdown("Politie | Noord\\n", in_table=True))
    Politie \\| Noord
    """
    text = visible_text(text)
    marker = _LIST_MARKER.match(text)
    marker_at = marker.start(1) if marker else -1
    out = []
    for index, char in enumerate(text):
        if char in _ENTITIES:
            out.append(_ENTITIES[char])
            continue
        if (
            char in MARKDOWN_PUNCTUATION
            or (index == 0 and char in _AT_START)
            or index == marker_at
            or (char == ":" and text[index + 1 : index + 2] not in ("", " "))
            or (char == "." and text[max(index - 3, 0) : index].lower() == "www")
            or (in_table and char == "|")
        ):
            out.append("\\")
        out.append(char)
    return "".join(out)


def break_autolinks(markdown: str) -> str:
    """Escaped text (from :func:`escape_markdown`) with a :data:`WORD_JOINER` after ``www``,
    after a ``:`` that touches the next character and after ``@``.

    A reader sees no difference, but no renderer that looks for addresses in the rendered text
    (GitHub's pages, Streamlit) finds ``www.x.nl``, ``http://x.nl``, ``naam@x.nl`` or
    ``@naam`` there to make a link of.

    >>> text = break_autolinks(escape_markdown("www.x.nl http://x.nl naam@x.nl"))
    >>> print(text.replace(WORD_JOINER, "^"))
    www^\\.x.nl http\\:^//x.nl naam\\@^x.nl
    """
    return _ADDRESS_STARTS.sub(lambda match: match.group(0) + WORD_JOINER, markdown)
