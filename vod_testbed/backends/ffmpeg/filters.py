"""MediaConvert's video preprocessors as FFmpeg filters (the coverage table says how close
each comes)."""

from __future__ import annotations

from typing import Any

from vod_testbed.backends.jobmodel.model import VideoPreprocessors


def preprocess(stream: Any, preprocessors: VideoPreprocessors) -> Any:
    """``stream`` deinterlaced and denoised as ``preprocessors`` ask.

    DEINTERLACE and ADAPTIVE become bwdif on the frames flagged interlaced (progressive
    frames pass untouched, as MediaConvert's deinterlacer leaves progressive input), or on
    every frame with FORCE_ALL_FRAMES;
    INVERSE_TELECINE recovers the film frames with fieldmatch and decimate. Any noise
    reducer but NONE is approximated by hqdn3d, FFmpeg's spatio-temporal denoiser.
    """
    mode = preprocessors.deinterlace
    if mode in ("DEINTERLACE", "ADAPTIVE"):
        which = "all" if preprocessors.deinterlace_all_frames else "interlaced"
        stream = stream.filter("bwdif", mode="send_frame", deint=which)
    elif mode == "INVERSE_TELECINE":
        stream = stream.filter("fieldmatch").filter("decimate")
    if preprocessors.noise_reducer:
        stream = stream.filter("hqdn3d")
    return stream
