"""Benchmark: the I-frame-only playlists of a 1-hour four-rung ladder (the default ladder's
sizes and bit rates, 6 s segments, a keyframe every 2 s).

The ladder is built cheaply but for real: each rung encodes a 12 s clip with motion at its
size and bit rate, which ffmpeg then loops, without re-encoding, into an hour of HLS TS
segments. The figure is the time to find every keyframe's byte range in every segment and
write the four ``_I-Frame.m3u8`` playlists, the work the FFmpeg backend adds to a job with
``IFrameOnlyManifest: INCLUDE``. The segments were just written, so they are read from the
page cache, as they are in a job. BENCH_HOURS changes the length (default 1); the target
is under 2 s for an hour.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from vod_testbed.backends.ffmpeg.binary import find_ffmpeg
from vod_testbed.backends.ladder import DEFAULT_LADDER
from vod_testbed.media.iframes import iframe_bandwidth, iframe_playlist, rendition_iframes

CLIP_S = 12
SEGMENT_S = 6
TARGET_S = 2.0


def _rung(ffmpeg: str, folder: Path, name: str, width: int, height: int, bps: int,
          seconds: int) -> list[Path]:  # fmt: skip
    if (folder / f"master_{name}.m3u8").is_file():
        return sorted(folder.glob(f"master_{name}_*.ts"))
    clip = folder / f"{name}_clip.ts"
    subprocess.run(
        [ffmpeg, "-loglevel", "error", "-y",
         "-f", "lavfi", "-i", f"testsrc2=s={width}x{height}:r=30:d={CLIP_S}",
         "-f", "lavfi", "-i", f"sine=frequency=440:d={CLIP_S}",
         "-c:v", "libx264", "-preset", "ultrafast", "-b:v", str(bps), "-maxrate", str(bps),
         "-bufsize", str(2 * bps), "-g", "60", "-keyint_min", "60", "-sc_threshold", "0",
         "-c:a", "aac", "-b:a", "128k", "-ar", "48000", str(clip)],
        check=True,
    )  # fmt: skip
    subprocess.run(
        [ffmpeg, "-loglevel", "error", "-y", "-stream_loop", "-1", "-i", str(clip),
         "-t", str(seconds), "-c", "copy", "-f", "hls", "-hls_time", str(SEGMENT_S),
         "-hls_playlist_type", "vod", "-start_number", "1",
         "-hls_segment_filename", str(folder / f"master_{name}_%05d.ts"),
         str(folder / f"master_{name}.m3u8")],
        check=True,
    )  # fmt: skip
    clip.unlink()
    return sorted(folder.glob(f"master_{name}_*.ts"))


def _compute(folder: Path, ladder: dict[str, list[Path]], seconds: int) -> float:
    """Find every I-frame and write each rung's playlist; returns the seconds it took."""
    started = time.perf_counter()
    frames_total = 0
    for name, segments in ladder.items():
        t0 = time.perf_counter()
        frames = rendition_iframes(segments)
        end_s = frames[0].time_s + seconds
        (folder / f"master_{name}_I-Frame.m3u8").write_text(iframe_playlist(frames, end_s))
        peak, average = iframe_bandwidth(frames, end_s)
        frames_total += len(frames)
        print(
            f"  {name}: {len(frames)} I-frames, peak {peak} b/s, average {average} b/s, "
            f"{time.perf_counter() - t0:.3f} s"
        )
    elapsed = time.perf_counter() - started
    print(f"I-frame playlists of the whole ladder: {elapsed:.3f} s for {frames_total} I-frames")
    return elapsed


def main() -> int:
    hours = float(os.environ.get("BENCH_HOURS", "1"))
    seconds = round(hours * 3600)
    ffmpeg = find_ffmpeg()
    with tempfile.TemporaryDirectory(prefix="bench-iframes-") as tmp:
        # BENCH_LADDER_DIR keeps the built ladder there and reuses it on the next run.
        folder = Path(os.environ.get("BENCH_LADDER_DIR") or tmp)
        folder.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        ladder = {
            rung.name: _rung(
                ffmpeg, folder, rung.name, rung.width, rung.height, rung.video_bitrate, seconds
            )
            for rung in DEFAULT_LADDER.rungs
        }
        built = time.perf_counter() - started
        total_bytes = sum(p.stat().st_size for segs in ladder.values() for p in segs)
        print(
            f"ladder: {len(ladder)} rungs x {seconds} s, "
            f"{sum(len(s) for s in ladder.values())} segments, {total_bytes / 1e9:.2f} GB "
            f"(built in {built:.0f} s)"
        )
        # Twice: the first pass may read from disk what the page cache dropped while the
        # ladder was built; the second is a job's case, right after ffmpeg wrote the files.
        passes = [_compute(folder, ladder, seconds) for _ in range(2)]
    elapsed = passes[-1]
    print(f"first pass {passes[0]:.3f} s, second pass {passes[1]:.3f} s")
    verdict = "OK" if elapsed < TARGET_S * hours else "OVER TARGET"
    print(f"target < {TARGET_S * hours:.1f} s: {verdict}")
    return 0 if verdict == "OK" else 1


if __name__ == "__main__":
    sys.exit(main())
