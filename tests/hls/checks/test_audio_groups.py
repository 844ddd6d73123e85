"""The audio group checks fail on what a player would trip over: an AUDIO= naming no group,
two default renditions, a LANGUAGE that is no language tag, a rendition holding video."""

from __future__ import annotations

import subprocess
from pathlib import Path

import m3u8

from tests.support.inputs import write_source
from vod_testbed.backends.ffmpeg import binary
from vod_testbed.hls.checks.audio_groups import check_audio_groups, load_audio_renditions
from vod_testbed.hls.model import Context, Rendition
from vod_testbed.hls.report import ValidationReport

MASTER = """#EXTM3U
#EXT-X-VERSION:6
#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="program_audio",LANGUAGE="eng",NAME="English",AUTOSELECT=YES,DEFAULT=YES,URI="master_audio_eng.m3u8"
#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="program_audio",LANGUAGE="english!",NAME="Other",AUTOSELECT=YES,DEFAULT=YES,URI="master_audio_eng.m3u8"
#EXT-X-STREAM-INF:BANDWIDTH=300000,CODECS="avc1.4d400d,mp4a.40.2",AUDIO="commentary"
master_180p.m3u8
"""

PLAYLIST = """#EXTM3U
#EXT-X-VERSION:3
#EXT-X-TARGETDURATION:2
#EXT-X-MEDIA-SEQUENCE:1
#EXT-X-PLAYLIST-TYPE:VOD
#EXTINF:2.000,
master_audio_eng_00001.ts
#EXT-X-ENDLIST
"""


def test_a_broken_audio_group_is_reported(tmp_path: Path) -> None:
    (tmp_path / "master.m3u8").write_text(MASTER, encoding="utf-8")
    (tmp_path / "master_audio_eng.m3u8").write_text(PLAYLIST, encoding="utf-8")
    # The "audio" rendition's segment holds video too.
    source = write_source(tmp_path / "src.mp4", duration_s=2)
    subprocess.run(
        [binary.find_ffmpeg(), "-hide_banner", "-loglevel", "error", "-y", "-i", str(source),
         "-c", "copy", "-f", "mpegts", str(tmp_path / "master_audio_eng_00001.ts")],
        check=True, timeout=60,
    )  # fmt: skip
    report = ValidationReport(master="master.m3u8")
    ctx = Context(tmp_path / "master.m3u8", None, None, None, False, report)
    master = m3u8.load(str(tmp_path / "master.m3u8"))
    variants = [Rendition("180p", v.uri, v.stream_info) for v in master.playlists]
    groups = load_audio_renditions(ctx, master)
    check_audio_groups(ctx, master, variants, groups)

    [group] = report.failed("audio.group")
    assert 'LANGUAGE="english!" is not a language tag' in group.message
    assert 'group "program_audio" has 2 DEFAULT=YES renditions' in group.message
    assert 'names AUDIO="commentary", which does not exist' in group.message
    renditions = report.failed("audio.renditions")
    assert renditions and all("video in master_audio_eng_00001.ts" in c.message for c in renditions)
