"""Whether the master tells the truth about the media: keyframes at segment starts,
RESOLUTION, CODECS, FRAME-RATE, H.264 or H.265 profile and level, audio presence and format."""

from __future__ import annotations

from vod_testbed.hls.loading import measured_codecs
from vod_testbed.hls.model import Context, Rendition
from vod_testbed.media import hevc

MAX_H264_LEVEL = 52  # Apple authoring spec 1.3 (newest revision)
MAX_HEVC_LEVEL = 153  # Apple authoring spec 1.9: Main or Main 10 up to level 5.1 (x 30)
H264_PROFILES = {"baseline": 0x42, "main": 0x4D, "high": 0x64}
PROFILE_NAMES = {v: k for k, v in H264_PROFILES.items()}


def avc_profile(avc: str) -> int:
    """profile_idc of an ``avc1.PPCCLL`` codecs string."""
    return int(avc[5:7], 16)


def check_keyframe_start(ctx: Context, r: Rendition) -> None:
    """``segments.keyframe-start``: every segment opens on an IDR (Apple 7.4)."""
    if r.audio_only:
        ctx.add("segments.keyframe-start", True, "audio only: every AAC frame starts", r.name)
        return
    bad = [s.uri for s in r.segments if s.media and not s.media.first_packet_is_keyframe]
    ctx.add(
        "segments.keyframe-start",
        not bad,
        f"segment(s) not starting with a keyframe: {', '.join(bad)}"
        if bad
        else f"all {len(r.media)} segment(s) start with a keyframe",
        r.name,
    )


def check_media_attributes(ctx: Context, r: Rendition) -> None:
    """RESOLUTION, CODECS and FRAME-RATE against the segments; profile and level."""
    info, name, media = r.stream_info, r.name, r.media
    sizes = sorted({f"{m.width}x{m.height}" for m in media})
    declared = "{}x{}".format(*info.resolution) if info.resolution else None
    if declared is not None:
        ok = sizes == [declared]
        ctx.add(
            "media.resolution",
            ok,
            f"RESOLUTION={declared} matches the video"
            if ok
            else f"RESOLUTION={declared} but the video is {', '.join(sizes)}",
            name,
        )
    measured = sorted({measured_codecs(m) for m in media})
    if info.codecs:
        ok = len(measured) == 1 and _codec_set(info.codecs) == _codec_set(measured[0]) | {
            c.lower() for c in r.group_codecs
        }
        ctx.add(
            "media.codecs",
            ok,
            f'CODECS="{info.codecs}" matches the streams'
            if ok
            else f'CODECS="{info.codecs}" but the segments hold {" / ".join(measured)}'
            + (
                f" and its audio group {', '.join(sorted(r.group_codecs))}"
                if r.group_codecs
                else ""
            ),
            name,
        )
    if not r.audio_only:
        _check_profile_level(ctx, r)
    rates = sorted({float(m.frame_rate) for m in media if m.frame_rate})
    if info.frame_rate is not None and rates:
        ok = len(rates) == 1 and abs(rates[0] - info.frame_rate) <= 0.01
        ctx.add(
            "media.frame-rate",
            ok,
            f"FRAME-RATE={info.frame_rate:.3f} matches the video"
            if ok
            else f"FRAME-RATE={info.frame_rate:.3f} but the video runs at "
            + ", ".join(f"{x:.3f}" for x in rates)
            + " fps",
            name,
        )


def _check_profile_level(ctx: Context, r: Rendition) -> None:
    avc = r.media[0].video_codecs
    if avc is None:
        ctx.add("media.profile-level", False, "no H.264 or H.265 SPS found in the video", r.name)
        return
    if not avc.startswith("avc"):
        _check_hevc_profile_level(ctx, r, avc)
        return
    profile, level = avc_profile(avc), int(avc[-2:], 16)
    ok = profile in PROFILE_NAMES and level <= MAX_H264_LEVEL
    ctx.add(
        "media.profile-level",
        ok,
        f"H.264 {PROFILE_NAMES.get(profile, hex(profile))} level {level / 10:.1f}"
        + ("" if ok else " (Apple allows Baseline/Main/High up to level 5.2)"),
        r.name,
    )


def check_audio_format(ctx: Context, r: Rendition) -> None:
    """Audio in every segment of the rendition, in the format the ladder asks for (without
    a ladder, in one format throughout)."""
    media = r.media
    with_audio = [m for m in media if m.audio is not None]
    if not with_audio:
        return
    if len(with_audio) != len(media):
        ctx.add(
            "audio.presence",
            False,
            f"audio in {len(with_audio)} of {len(media)} segments",
            r.name,
        )
    found = sorted(
        {
            f"{a.codec} {a.profile or '?'} {a.channels} ch {a.sample_rate} Hz"
            for a in (m.audio for m in with_audio)
            if a is not None
        }
    )
    if ctx.expected is None:
        # Without a ladder the job's own settings chose the audio (any AAC rate and mode
        # AWS accepts): the rendition must keep one format throughout.
        ok = len(found) == 1
        ctx.add(
            "audio.format",
            ok,
            f"audio is {found[0]} in every segment"
            if ok
            else f"audio changes between segments: {', '.join(found)}",
            r.name,
        )
        return
    spec = ctx.expected.audio
    if spec is None:
        ctx.add(
            "audio.format",
            False,
            "the rendition has audio; the ladder asks for video only",
            r.name,
        )
        return
    rung = next((g for g in ctx.expected.rungs if g.name == r.name), None)
    if rung is not None:
        spec = rung.audio_spec(spec)  # a rung may have its own AAC format
    wanted = f"{spec.codec} {spec.profile} {spec.channels} ch {spec.sample_rate} Hz"
    ok = found == [wanted]
    ctx.add(
        "audio.format",
        ok,
        f"audio is {wanted}" if ok else f"audio is {', '.join(found)}; {wanted} expected",
        r.name,
    )


def check_audio_presence(ctx: Context, with_media: list[Rendition]) -> None:
    """``audio.presence``: audio in every rendition or in none."""
    audio = {r.name: any(m.audio for m in r.media) for r in with_media}
    ok = len(set(audio.values())) == 1
    ctx.add(
        "audio.presence",
        ok,
        ("every rendition has audio" if all(audio.values()) else "no rendition has audio")
        if ok
        else "audio only in " + ", ".join(k for k, v in audio.items() if v),
    )


def _codec_set(codecs: str) -> set[str]:
    return {c.strip().lower() for c in codecs.split(",") if c.strip()}


def _check_hevc_profile_level(ctx: Context, r: Rendition, codecs: str) -> None:
    profile, level = hevc.profile_of(codecs), hevc.level_of(codecs)
    name = hevc.PROFILE_NAMES.get(profile or 0, f"profile {profile}")
    ok = profile in (1, 2) and level is not None and level <= MAX_HEVC_LEVEL
    ctx.add(
        "media.profile-level",
        ok,
        f"H.265 {name} level {(level or 0) / 30:.1f}"
        + ("" if ok else " (Apple allows Main/Main 10 up to level 5.1)"),
        r.name,
    )
