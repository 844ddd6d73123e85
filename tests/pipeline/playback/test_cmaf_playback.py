"""Tokened playback of a CMAF HLS output: the audio rendition and I-frame playlists are
served through the token like the variants, and every init segment (``EXT-X-MAP``) is
signed like the segments (docs/jobs.md, "CMAF and DASH")."""

from __future__ import annotations

import pytest

from vod_testbed.common.clock import ManualClock
from vod_testbed.pipeline.playback.service import (
    PlayableVideo,
    PlaybackService,
    PlaylistNotFound,
)
from vod_testbed.pipeline.playback.signing import PlainUrls
from vod_testbed.pipeline.playback.tokens import PlaybackTokens

FOLDER = "video/u/v1_processed/hls"
# As the FFmpeg backend writes a CMAF group (backends/ffmpeg/stream_manifests.py).
TEXTS = {
    f"{FOLDER}/master.m3u8": """#EXTM3U
#EXT-X-VERSION:6
#EXT-X-INDEPENDENT-SEGMENTS
#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="program_audio",NAME="audio",DEFAULT=YES,AUTOSELECT=YES,CHANNELS="2",URI="master_audio.m3u8"
#EXT-X-STREAM-INF:BANDWIDTH=900000,AVERAGE-BANDWIDTH=700000,CODECS="avc1.4D401E,mp4a.40.2",RESOLUTION=640x360,FRAME-RATE=30.000,AUDIO="program_audio"
master_360p.m3u8
#EXT-X-I-FRAME-STREAM-INF:BANDWIDTH=200000,AVERAGE-BANDWIDTH=90000,CODECS="avc1.4D401E",RESOLUTION=640x360,URI="master_360p_I-Frame.m3u8"
""",
    f"{FOLDER}/master_audio.m3u8": """#EXTM3U
#EXT-X-VERSION:6
#EXT-X-TARGETDURATION:2
#EXT-X-MAP:URI="master_audioinit.cmfa"
#EXTINF:2.00000,
master_audio_000000001.cmfa
#EXT-X-ENDLIST
""",
    f"{FOLDER}/master_360p_I-Frame.m3u8": """#EXTM3U
#EXT-X-VERSION:6
#EXT-X-I-FRAMES-ONLY
#EXT-X-MAP:URI="master_360pinit.cmfv"
#EXTINF:1.00000,
#EXT-X-BYTERANGE:5000@120
master_360p_000000001.cmfv
#EXT-X-ENDLIST
""",
}
VIDEO = PlayableVideo("v1", f"{FOLDER}/master.m3u8", ())


@pytest.fixture
def playback() -> PlaybackService:
    def read_text(key: str) -> str:
        return TEXTS[key]

    return PlaybackService(
        PlaybackTokens("secret", 600, ManualClock(1_900_000_000.0)),
        PlainUrls("https://cdn.example"),
        find_video=lambda video_id: VIDEO,
        read_text=read_text,
    )


def _token(playback: PlaybackService) -> str:
    return str(playback.grant(VIDEO)["master_playlist_path"]).rsplit("token=", 1)[1]


def test_the_master_sends_every_playlist_through_the_token(playback: PlaybackService) -> None:
    token = _token(playback)
    master = playback.playlist("v1", "master.m3u8", token)

    assert f'URI="master_audio.m3u8?token={token}"' in master
    assert f'URI="master_360p_I-Frame.m3u8?token={token}"' in master
    assert f"master_360p.m3u8?token={token}" in master.splitlines()


@pytest.mark.parametrize(
    ("playlist", "init", "segment"),
    [
        ("master_audio.m3u8", "master_audioinit.cmfa", "master_audio_000000001.cmfa"),
        ("master_360p_I-Frame.m3u8", "master_360pinit.cmfv", "master_360p_000000001.cmfv"),
    ],
)
def test_init_segments_are_signed_like_the_segments(
    playback: PlaybackService, playlist: str, init: str, segment: str
) -> None:
    text = playback.playlist("v1", playlist, _token(playback))

    assert f'#EXT-X-MAP:URI="https://cdn.example/{FOLDER}/{init}"' in text
    assert f"https://cdn.example/{FOLDER}/{segment}" in text.splitlines()


def test_a_playlist_the_master_does_not_name_is_not_served(playback: PlaybackService) -> None:
    with pytest.raises(PlaylistNotFound):
        playback.playlist("v1", "master_other.m3u8", _token(playback))
