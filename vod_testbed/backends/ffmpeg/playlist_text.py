"""Text a person chose, written into a playlist attribute (a track's ``NAME``, an audio
group's ``GROUP-ID``).

RFC 8216 (4.2) forbids double quotes, carriage returns and line feeds in a quoted string;
readers also end a line at other characters (Python's ``str.splitlines``, and so the m3u8
library, at U+0085, U+2028, U+2029 and the C0 separators), and a bidi override makes a name
read as something else. A name can reach the writer from CreateJob (``LanguageDescription``
has no pattern in the service model), so the writer keeps every attribute on its line
whatever the caller checked.
"""

from __future__ import annotations


def quoted_string(value: str) -> str:
    """``value`` fit for a quoted-string attribute: double quotes become single quotes,
    every character that is not printable (line breaks, controls, format characters)
    becomes a space."""
    return "".join("'" if ch == '"' else ch if ch.isprintable() else " " for ch in value)
