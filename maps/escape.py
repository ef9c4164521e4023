"""Escaping untrusted article text for HTML and for the JavaScript template literals folium emits.

folium puts popup and tooltip HTML inside JavaScript template literals, so besides HTML escaping, a
backtick, ``${`` and a backslash must not survive either; and folium compiles the output of every
MacroElement as a Jinja template a second time, so braces must not survive. All of them are turned into
HTML character references, which the browser shows as the original characters.

Examples
--------
>>> esc('<img src=x onerror="alert(1)">')
'&lt;img src=x onerror=&quot;alert(1)&quot;&gt;'
>>> esc("`${alert(1)}` \\\\")
'&#96;&#36;&#123;alert(1)&#125;&#96; &#92;'
>>> esc(None)
''
"""

from __future__ import annotations

import html

__all__ = ["esc", "highlight"]

# `, $ and \ for JavaScript template literals; { and } because folium compiles every MacroElement's output
# as a Jinja template once more, where "{{ … }}" or "{% … %}" from article text would run or break the page
_JS = str.maketrans({"`": "&#96;", "$": "&#36;", "\\": "&#92;", "{": "&#123;", "}": "&#125;"})


def esc(text: object) -> str:
    """HTML-escape ``text`` (``None`` → empty) and neutralise template-literal syntax."""
    if text is None:
        return ""
    return html.escape(str(text), quote=True).translate(_JS)


def highlight(sentence: str, start: int, end: int) -> str:
    """The escaped ``sentence`` with ``sentence[start:end]`` wrapped in ``<mark>``.

    Examples
    --------
    >>> highlight("Ships left <Najin> port.", 11, 18)
    'Ships left <mark>&lt;Najin&gt;</mark> port.'
    """
    start, end = max(0, start), min(len(sentence), end)
    if not 0 <= start < end:
        return esc(sentence)
    return f"{esc(sentence[:start])}<mark>{esc(sentence[start:end])}</mark>{esc(sentence[end:])}"
