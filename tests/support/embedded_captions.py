"""A short H.264 clip carrying real CEA-608 captions, as broadcast H.264 carries them: ATSC
A/53 ``cc_data`` in an SEI message (ITU-T T.35, ``GA94``) of every access unit.

The 608 byte pairs are pycaption's SCC writer's for the given SRT text (an SCC file is 608
byte pairs with timecodes); ffmpeg's SCC demuxer times them, and each pair goes into the
SEI of one frame, in order, from its timecode's frame on, at 29.97 fps (field 1, CC1).
ffmpeg encodes the picture (no B-frames, an access unit delimiter before each frame, so
decode order is display order and frames are easy to find), the SEI messages are added to
its Annex B stream, and ffmpeg muxes the result with a tone into MP4 without re-encoding.
Both are ``duration_s`` long; no ``-shortest``: ffmpeg 9 reads the raw stream's copied
packets as ending at 0 s and would cut the tone to nothing.
"""

from __future__ import annotations

import subprocess
from fractions import Fraction
from pathlib import Path

import av
from pycaption import SCCWriter, SRTReader

from vod_testbed.backends.ffmpeg import binary

RATE = Fraction(30000, 1001)
_AUD = b"\x00\x00\x00\x01\x09"
_NULL_PAIR = b"\x80\x80"  # 608 padding: no data on the line


def _pairs_by_frame(scc: Path) -> dict[int, bytes]:
    """Each 608 byte pair of the SCC file and the frame that carries it."""
    pairs: dict[int, bytes] = {}
    with av.open(str(scc)) as container:
        stream = container.streams[0]
        base = stream.time_base
        assert base is not None
        for packet in container.demux(stream):
            if packet.pts is None:
                continue
            frame = round(packet.pts * base * RATE)
            data = bytes(packet)
            for i in range(0, len(data), 3):  # cc_data triplets: marker, byte 1, byte 2
                while frame in pairs:
                    frame += 1
                pairs[frame] = data[i + 1 : i + 3]
                frame += 1
    return pairs


def _escaped(rbsp: bytes) -> bytes:
    """Emulation prevention: a 0x03 after two zero bytes before any byte up to 0x03."""
    out = bytearray()
    zeros = 0
    for byte in rbsp:
        if zeros >= 2 and byte <= 3:
            out.append(3)
            zeros = 0
        out.append(byte)
        zeros = zeros + 1 if byte == 0 else 0
    return bytes(out)


def _sei(pair: bytes) -> bytes:
    """An SEI NAL unit of one ``user_data_registered_itu_t_t35`` message: A/53 cc_data with
    one 608 field-1 pair (cc_count 1, process_cc_data_flag set)."""
    payload = b"\xb5\x00\x31GA94\x03" + bytes([0xC0 | 1, 0xFF, 0xFC]) + pair + b"\xff"
    message = bytes([4, len(payload)]) + payload + b"\x80"
    return b"\x00\x00\x00\x01\x06" + _escaped(message)


def write_captioned_clip(path: Path, srt_text: str, duration_s: float = 3.0) -> Path:
    """Write ``path``: a 320x180 H.264 clip of ``duration_s`` at 29.97 fps with AAC audio,
    whose video carries ``srt_text`` as embedded CEA-608 captions (CC1)."""
    ffmpeg = binary.find_ffmpeg()
    work = path.parent
    scc = work / f"{path.stem}.scc"
    scc.write_text(SCCWriter().write(SRTReader().read(srt_text)), encoding="ascii")
    plain = work / f"{path.stem}.plain.h264"
    subprocess.run(
        [ffmpeg, "-v", "error", "-y", "-f", "lavfi", "-i",
         f"testsrc2=size=320x180:rate={RATE}:duration={duration_s}", "-c:v", "libx264",
         "-preset", "ultrafast", "-bf", "0", "-x264-params", "aud=1", "-pix_fmt", "yuv420p",
         "-bsf:v", "h264_mp4toannexb", "-f", "h264", str(plain)],
        check=True,
    )  # fmt: skip
    pairs = _pairs_by_frame(scc)
    units = plain.read_bytes().split(_AUD)
    captioned = bytearray(units[0])
    for frame, unit in enumerate(units[1:]):
        # The delimiter and its one byte of payload, then this frame's captions.
        captioned += _AUD + unit[:1] + _sei(pairs.get(frame, _NULL_PAIR)) + unit[1:]
    video = work / f"{path.stem}.cc.h264"
    video.write_bytes(bytes(captioned))
    subprocess.run(
        [ffmpeg, "-v", "error", "-y", "-r", str(RATE), "-i", str(video), "-f", "lavfi", "-i",
         f"sine=frequency=440:sample_rate=48000:duration={duration_s}", "-map", "0:v",
         "-map", "1:a", "-c:v", "copy", "-c:a", "aac", "-ac", "2", str(path)],
        check=True,
    )  # fmt: skip
    return path
