"""A caption file saved as UTF-16 or UTF-32 (what some subtitle editors and Windows tools
write, a byte order mark first) is refused with a sentence that says so, not called
"binary data": the person can re-save it as UTF-8."""

from __future__ import annotations

import pytest

from vod_testbed.media.captions import CaptionFileError, CaptionFormat, read_cues

SRT = "1\n00:00:00,000 --> 00:00:02,000\nBonjour à tous\n"


@pytest.mark.parametrize(
    ("codec", "name"),
    [("utf-16", "UTF-16"), ("utf-16-be", "UTF-16"), ("utf-32", "UTF-32")],
)
def test_a_utf16_or_utf32_caption_file_is_named_as_such(codec: str, name: str) -> None:
    data = ("\ufeff" if codec == "utf-16-be" else "") + SRT
    with pytest.raises(
        CaptionFileError, match=rf"^is {name}, not UTF-8 \(re-save it as UTF-8: SRT captions"
    ):
        read_cues(data.encode(codec), CaptionFormat.SRT)


def test_a_utf8_byte_order_mark_is_read() -> None:
    (cue,) = read_cues(("\ufeff" + SRT).encode("utf-8"), CaptionFormat.SRT)
    assert cue.text == "Bonjour à tous"
