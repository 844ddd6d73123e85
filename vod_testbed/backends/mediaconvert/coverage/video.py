"""Video descriptions: preprocessors and the H.264, H.265 and frame capture codecs."""

from __future__ import annotations

from vod_testbed.backends.mediaconvert.coverage.base import (
    CLOSED_GOPS,
    ENCODER_INTERNALS,
    FPS_FILTER,
    Coverage,
    approximated,
    honoured,
    ignored,
)

# H264Settings.codecProfile -> the ladder's profile name.
H264_PROFILES = {"HIGH": "high", "MAIN": "main", "BASELINE": "baseline"}

# Rows H264Settings and H265Settings share.
_BITRATE = honoured(note="CBR and VBR")
_MAX_BITRATE = honoured(note="VBR cap and QVBR cap")
_SQUARE_PIXELS = honoured(note="equal to parDenominator (1:1) only")


def _qvbr(encoder: str) -> dict[str, Coverage]:
    """H264QvbrSettings and H265QvbrSettings: the quality level is ``encoder``'s CRF."""
    return {
        "qvbrQualityLevel": honoured(note=f"1..10; mapped onto {encoder} CRF"),
        "qvbrQualityLevelFineTune": approximated(note="rounded away"),
        "maxAverageBitrate": ignored(note="multi-pass only"),
    }


ROWS: dict[str, dict[str, Coverage]] = {
    "VideoDescription": {
        "width": honoured(note="required, even for H.264"),
        "height": honoured(note="required, even for H.264"),
        "scalingBehavior": honoured(
            "DEFAULT",
            "FIT_NO_UPSCALE",
            note="DEFAULT -> fit and pad; FIT_NO_UPSCALE -> shrink to fit, never enlarge, "
            "never pad",
        ),
        "codecSettings": honoured(),
        "videoPreprocessors": honoured(),
        "antiAlias": ignored(note="scaler filter choice"),
        "sharpness": ignored(note="scaler filter choice"),
        "afdSignaling": ignored("NONE"),
        "respondToAfd": ignored("NONE"),
        "colorMetadata": ignored(),
        "chromaPositionMode": ignored("AUTO"),
        "dropFrameTimecode": ignored(),
        "timecodeInsertion": ignored("DISABLED"),
        "timecodeTrack": ignored("DISABLED"),
    },
    "VideoPreprocessor": {
        "deinterlacer": honoured(),
        "noiseReducer": approximated(),
        "imageInserter": honoured(
            note="the same images in every video output of the job, on the job's clock"
        ),
    },
    "Deinterlacer": {
        "mode": honoured(
            note="DEINTERLACE (the default) and ADAPTIVE -> FFmpeg's bwdif on interlaced "
            "frames; INVERSE_TELECINE -> fieldmatch and decimate"
        ),
        "algorithm": approximated(
            note="bwdif interpolates; BLEND and the ticker variants with a job warning"
        ),
        "control": honoured(note="FORCE_ALL_FRAMES -> bwdif on every frame"),
    },
    "NoiseReducer": {
        "filter": approximated(
            note="every filter but NONE -> FFmpeg's hqdn3d at its defaults, with a job warning"
        ),
        "filterSettings": ignored(note="hqdn3d keeps its own strength"),
        "spatialFilterSettings": ignored(note="hqdn3d keeps its own strength"),
        "temporalFilterSettings": ignored(note="hqdn3d keeps its own strength"),
    },
    "NoiseReducerFilterSettings": {"strength": ignored()},
    "NoiseReducerSpatialFilterSettings": {
        "postFilterSharpenStrength": ignored(),
        "speed": ignored(),
        "strength": ignored(),
    },
    "NoiseReducerTemporalFilterSettings": {
        "aggressiveMode": ignored(),
        "postTemporalSharpening": ignored(),
        "postTemporalSharpeningStrength": ignored(),
        "speed": ignored(),
        "strength": ignored(),
    },
    "VideoCodecSettings": {
        "codec": honoured(
            "H_264",
            "H_265",
            "FRAME_CAPTURE",
            note="H_265 in file outputs and in HLS groups (8-bit Main, TS segments)",
        ),
        "h264Settings": honoured(),
        "h265Settings": honoured(),
        "frameCaptureSettings": honoured(),
    },
    "H264Settings": {
        "rateControlMode": honoured(
            note="blank -> CBR: the service model documents no default and requires bitrate "
            "for CBR and VBR"
        ),
        "bitrate": _BITRATE,
        "maxBitrate": _MAX_BITRATE,
        "qvbrSettings": honoured(),
        "codecProfile": honoured(*H264_PROFILES, note="default MAIN, the console's default"),
        "gopSize": honoured(
            note="seconds may be decimal; in HLS a GOP that does not divide segmentLength "
            "gets I-frames at segment boundaries too (EXACT)"
        ),
        "gopSizeUnits": approximated(
            note="SECONDS honoured; FRAMES converted at a nominal rate; AUTO -> 2 s when it "
            "divides segmentLength, else 1 s"
        ),
        "framerateControl": honoured(
            note="INITIALIZE_FROM_SOURCE: the source's rate (variable rates as MediaConvert "
            "rounds them; above 60 fps halved, with a warning); SPECIFIED: the fraction"
        ),
        "framerateNumerator": honoured(),
        "framerateDenominator": honoured(),
        "interlaceMode": ignored("PROGRESSIVE"),
        "parControl": approximated(
            note="SPECIFIED 1:1 honoured; INITIALIZE_FROM_SOURCE also gives square pixels"
        ),
        "parNumerator": _SQUARE_PIXELS,
        "parDenominator": honoured(),
        "codecLevel": ignored(),
        "qualityTuningLevel": ENCODER_INTERNALS,
        "sceneChangeDetect": approximated(
            note="ENABLED (the default) and TRANSITION_DETECTION -> x264's scene-cut IDRs; "
            "DISABLED -> IDRs only on the GOP grid"
        ),
        "gopClosedCadence": CLOSED_GOPS,
        "gopBReference": ENCODER_INTERNALS,
        "numberBFramesBetweenReferenceFrames": ENCODER_INTERNALS,
        "numberReferenceFrames": ENCODER_INTERNALS,
        "minIInterval": honoured(
            note="0 -> IDRs only on the GOP grid; N -> scene-cut IDRs at least N frames "
            "apart; blank -> 6"
        ),
        "dynamicSubGop": ENCODER_INTERNALS,
        "adaptiveQuantization": ENCODER_INTERNALS,
        "spatialAdaptiveQuantization": ENCODER_INTERNALS,
        "temporalAdaptiveQuantization": ENCODER_INTERNALS,
        "flickerAdaptiveQuantization": ENCODER_INTERNALS,
        "entropyEncoding": ENCODER_INTERNALS,
        "slices": ENCODER_INTERNALS,
        "softness": ENCODER_INTERNALS,
        "repeatPps": ENCODER_INTERNALS,
        "hrdBufferSize": honoured(note="x264's VBV buffer; default 1.5 s of the bitrate"),
        "hrdBufferInitialFillPercentage": honoured(note="x264's initial VBV fill; default 90"),
        "hrdBufferFinalFillPercentage": ENCODER_INTERNALS,
        "endOfStreamMarkers": ignored(),
        "unregisteredSeiTimecode": ignored("DISABLED"),
        "framerateConversionAlgorithm": FPS_FILTER,
        "scanTypeConversionMode": ignored("INTERLACED"),
        "slowPal": ignored("DISABLED"),
        "telecine": ignored("NONE"),
        "syntax": ignored("DEFAULT"),
        "fieldEncoding": ignored("PAFF"),
        "writeMp4PackagingType": ignored(note="MP4 packaging only"),
    },
    "H265Settings": {
        "rateControlMode": honoured(note="as H264Settings: blank -> CBR"),
        "bitrate": _BITRATE,
        "maxBitrate": _MAX_BITRATE,
        "qvbrSettings": honoured(),
        "codecProfile": honoured(
            "MAIN_MAIN", "MAIN_HIGH", "MAIN10_MAIN", "MAIN10_HIGH", note="default MAIN_MAIN"
        ),
        "gopSize": honoured(note="seconds may be decimal"),
        "gopSizeUnits": approximated(note="as H264Settings"),
        "framerateControl": honoured(),
        "framerateNumerator": honoured(),
        "framerateDenominator": honoured(),
        "interlaceMode": ignored("PROGRESSIVE"),
        "parControl": approximated(note="as H264Settings"),
        "parNumerator": _SQUARE_PIXELS,
        "parDenominator": honoured(),
        "codecLevel": ignored(),
        "qualityTuningLevel": ENCODER_INTERNALS,
        "sceneChangeDetect": approximated(note="as H264Settings, with x265's scene cuts"),
        "minIInterval": honoured(note="as H264Settings"),
        "hrdBufferSize": honoured(note="x265's VBV buffer; default 1.5 s of the bitrate"),
        "hrdBufferInitialFillPercentage": honoured(note="x265's initial VBV fill; default 90"),
        "hrdBufferFinalFillPercentage": ENCODER_INTERNALS,
        "writeMp4PackagingType": honoured(
            "HVC1", "HEV1", note="the MP4 sample entry; default HVC1"
        ),
        "adaptiveQuantization": ENCODER_INTERNALS,
        "alternateTransferFunctionSei": ignored("DISABLED"),
        "dynamicSubGop": ENCODER_INTERNALS,
        "flickerAdaptiveQuantization": ENCODER_INTERNALS,
        "gopBReference": ENCODER_INTERNALS,
        "gopClosedCadence": CLOSED_GOPS,
        "numberBFramesBetweenReferenceFrames": ENCODER_INTERNALS,
        "numberReferenceFrames": ENCODER_INTERNALS,
        "sampleAdaptiveOffsetFilterMode": ENCODER_INTERNALS,
        "slices": ENCODER_INTERNALS,
        "spatialAdaptiveQuantization": ENCODER_INTERNALS,
        "temporalAdaptiveQuantization": ENCODER_INTERNALS,
        "temporalIds": ENCODER_INTERNALS,
        "tiles": ENCODER_INTERNALS,
        "endOfStreamMarkers": ignored(),
        "unregisteredSeiTimecode": ignored("DISABLED"),
        "framerateConversionAlgorithm": FPS_FILTER,
        "scanTypeConversionMode": ignored("INTERLACED"),
        "slowPal": ignored("DISABLED"),
        "telecine": ignored("NONE"),
    },
    "H264QvbrSettings": _qvbr("x264"),
    "H265QvbrSettings": _qvbr("x265"),
    "FrameCaptureSettings": {
        "framerateNumerator": honoured(
            note="one capture every denominator / numerator s; default 1/1"
        ),
        "framerateDenominator": honoured(),
        "maxCaptures": honoured(),
        "quality": honoured(),
    },
}
