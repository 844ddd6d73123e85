"""Run the corpus of public MediaConvert jobs (``vod_testbed/fixtures/jobs/corpus``) through
boto3 against the emulator and say what became of each: COMPLETE with every output its
Settings name present and readable, refused at CreateJob (and why), or anything else.

Each fixture is ``{"_source": ..., "expect": ..., "Settings": ...}``; only ``Settings`` is
sent. Settings point at ``s3://INPUT/`` (``source.mp4``, ``source2.mp4``, ``captions.srt``,
``logo.png``) and ``s3://OUTPUT/``; :func:`run_job` replaces both with a run's folders.
``expect`` is ``{"result": "COMPLETE"}`` or ``{"result": "REFUSED", "reason": <words the
refusal must contain>}`` (the error code is BadRequestException unless ``"code"`` names
another); ``"known_defect"`` says why a job does not yet end as expected.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import av
import botocore.exceptions

from tests.support.emulator import ROLE
from tests.support.polling import eventually
from vod_testbed.backends.ffmpeg import binary
from vod_testbed.hls.dash import validate_dash
from vod_testbed.hls.validation import validate_hls
from vod_testbed.media.captions import CaptionFileError, CaptionFormat, read_cues
from vod_testbed.storage.s3 import Storage

CORPUS_DIR = Path(__file__).resolve().parents[2] / "vod_testbed" / "fixtures" / "jobs" / "corpus"
INPUT, OUTPUT = "s3://INPUT/", "s3://OUTPUT/"
JOB_TIMEOUT_S = 120.0
SOURCE_STEM = "source"


def corpus() -> dict[str, dict[str, Any]]:
    """Every corpus job by name (file stem), in name order."""
    return {
        p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted(CORPUS_DIR.glob("*.json"))
    }


@dataclasses.dataclass
class Outcome:
    """What became of one job: ``result`` is COMPLETE, REFUSED, ERROR, INVALID (complete
    but an output is missing or unreadable) or TIMEOUT; ``detail`` says why."""

    result: str
    detail: str = ""


def make_inputs(folder: Path) -> dict[str, Path]:
    """The corpus's inputs, small and short: two 1-s 320x180 25 fps clips with stereo
    48 kHz English audio, an SRT file and a PNG logo."""
    ffmpeg = binary.find_ffmpeg()
    files = {}
    for name, pattern, freq in (("source.mp4", "testsrc2", 440), ("source2.mp4", "smptebars", 660)):
        path = folder / name
        subprocess.run(
            [ffmpeg, "-v", "error", "-y", "-f", "lavfi", "-i",
             f"{pattern}=size=320x180:rate=25:duration=1", "-f", "lavfi", "-i",
             f"sine=frequency={freq}:sample_rate=48000:duration=1", "-ac", "2",
             "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
             "-c:a", "aac", "-metadata:s:a:0", "language=eng", "-shortest", str(path)],
            check=True,
        )  # fmt: skip
        files[name] = path
    logo = folder / "logo.png"
    subprocess.run(
        [ffmpeg, "-v", "error", "-y", "-f", "lavfi", "-i", "color=c=red:size=32x32",
         "-frames:v", "1", str(logo)],
        check=True,
    )  # fmt: skip
    files["logo.png"] = logo
    captions = folder / "captions.srt"
    captions.write_text("1\n00:00:00,000 --> 00:00:00,900\nHello from the corpus\n\n", "utf-8")
    files["captions.srt"] = captions
    return files


def upload_inputs(storage: Storage, prefix: str, files: dict[str, Path]) -> None:
    for name, path in files.items():
        storage.put(path, f"{prefix}/in/{name}")


def pointed(settings: dict[str, Any], prefix: str) -> dict[str, Any]:
    """The Settings with ``s3://INPUT/`` and ``s3://OUTPUT/`` replaced by the run's folders."""
    text = json.dumps(settings).replace(INPUT, f"{prefix}/in/").replace(OUTPUT, f"{prefix}/out/")
    result: dict[str, Any] = json.loads(text)
    return result


def run_job(mc: Any, storage: Storage, prefix: str, settings: dict[str, Any]) -> Outcome:
    """Create the job (Settings pointed at ``prefix``), await its end and check what it wrote."""
    sent = pointed(settings, prefix)
    try:
        job = mc.create_job(Role=ROLE, Settings=sent)["Job"]
    except botocore.exceptions.ClientError as exc:
        err = exc.response.get("Error", {})
        return Outcome("REFUSED", f"{err.get('Code')}: {err.get('Message')}")
    got: dict[str, Any] = {}

    def ended() -> bool:
        got.clear()
        got.update(mc.get_job(Id=job["Id"])["Job"])
        return got["Status"] in ("COMPLETE", "ERROR", "CANCELED")

    try:
        eventually(ended, JOB_TIMEOUT_S, 0.1)
    except AssertionError:
        return Outcome("TIMEOUT", f"{got['Status']} after {JOB_TIMEOUT_S:.0f} s")
    if got["Status"] != "COMPLETE":
        return Outcome(got["Status"], f"{got.get('ErrorCode')}: {got.get('ErrorMessage')}")
    problems = check_outputs(storage, sent)
    return Outcome("INVALID", "; ".join(problems)) if problems else Outcome("COMPLETE")


_RAW_AUDIO_EXT = {"MP3": "mp3", "WAV": "wav", "AAC": "aac", "AC3": "ac3", "EAC3": "eac3"}


def expected_outputs(settings: dict[str, Any]) -> list[tuple[str, str]]:
    """(kind, URI) of each output the Settings name: ``hls`` masters, ``mpd`` manifests,
    ``file`` outputs and ``frames`` (the prefix of a frame capture's numbered JPEGs)."""
    named: list[tuple[str, str]] = []
    for group in settings["OutputGroups"]:
        gs = group["OutputGroupSettings"]
        kind = gs["Type"]
        key = {
            "HLS_GROUP_SETTINGS": "HlsGroupSettings",
            "FILE_GROUP_SETTINGS": "FileGroupSettings",
            "DASH_ISO_GROUP_SETTINGS": "DashIsoGroupSettings",
            "CMAF_GROUP_SETTINGS": "CmafGroupSettings",
        }[kind]
        dest = gs[key]["Destination"]
        base = dest + SOURCE_STEM if dest.endswith("/") else dest
        if kind == "HLS_GROUP_SETTINGS":
            named.append(("hls", f"{base}.m3u8"))
        elif kind == "DASH_ISO_GROUP_SETTINGS":
            named.append(("mpd", f"{base}.mpd"))
        elif kind == "CMAF_GROUP_SETTINGS":
            named += [("hls", f"{base}.m3u8"), ("mpd", f"{base}.mpd")]
        else:
            for out in group["Outputs"]:
                named.append(_file_output(base, out))
    return named


def _file_output(base: str, out: dict[str, Any]) -> tuple[str, str]:
    stem = base + out.get("NameModifier", "")
    codec = out.get("VideoDescription", {}).get("CodecSettings", {}).get("Codec")
    if codec == "FRAME_CAPTURE":
        return ("frames", f"{stem}.")
    container = out.get("ContainerSettings", {}).get("Container", "MP4")
    if "Extension" in out:
        ext = out["Extension"]
    elif container == "RAW" and out.get("CaptionDescriptions"):
        ext = out["CaptionDescriptions"][0]["DestinationSettings"]["DestinationType"].lower()
    elif container == "RAW":
        ext = _RAW_AUDIO_EXT[out["AudioDescriptions"][0]["CodecSettings"]["Codec"]]
    else:
        ext = container.lower()
    return ("file", f"{stem}.{ext}")


def check_outputs(storage: Storage, settings: dict[str, Any]) -> list[str]:
    """What is wrong with the outputs the Settings name (empty when all are there and read)."""
    problems = []
    with tempfile.TemporaryDirectory(prefix="corpus-") as tmp:
        for i, (kind, uri) in enumerate(expected_outputs(settings)):
            if kind == "hls":
                report = validate_hls(uri, storage=storage, key=_static_key(settings))
                if not report.ok:
                    problems.append(f"{uri}: {[c.id for c in report.errors]}")
            elif kind == "frames":
                folder, _, prefix = uri.rpartition("/")
                if not any(k.rsplit("/", 1)[-1].startswith(prefix) for k in storage.list(folder)):
                    problems.append(f"no frame capture {uri}*.jpg")
            elif kind == "mpd":
                dash = validate_dash(uri, storage=storage)
                if not dash.ok:
                    problems.append(f"{uri}: {[c.id for c in dash.errors]}")
            elif not storage.exists(uri):
                problems.append(f"missing {uri}")
            elif kind == "file" and uri.endswith((".srt", ".vtt")):
                local = Path(tmp) / f"{i}-{uri.rsplit('/', 1)[-1]}"
                storage.fetch(uri, local)
                problems += _unreadable_captions(local)
            elif kind == "file" and not uri.endswith(".scc"):
                local = Path(tmp) / f"{i}-{uri.rsplit('/', 1)[-1]}"
                storage.fetch(uri, local)
                problems += _unreadable(local)
    return problems


def _static_key(settings: dict[str, Any]) -> bytes | None:
    """The AES-128 key of the job's encrypted HLS output (the corpus has at most one)."""
    for group in settings["OutputGroups"]:
        hls = group["OutputGroupSettings"].get("HlsGroupSettings") or {}
        provider = (hls.get("Encryption") or {}).get("StaticKeyProvider") or {}
        if "StaticKeyValue" in provider:
            return bytes.fromhex(provider["StaticKeyValue"])
    return None


def _unreadable_captions(path: Path) -> list[str]:
    """Read a sidecar caption file as its extension says; say what could not be read."""
    fmt = CaptionFormat.from_name(path.name)
    assert fmt is not None
    try:
        read_cues(path.read_bytes(), fmt)
    except CaptionFileError as exc:
        return [f"{path.name}: {exc}"]
    return []


def _unreadable(path: Path) -> list[str]:
    """Decode the first frame of every stream with PyAV; say what could not be read."""
    try:
        with av.open(str(path)) as container:
            if not container.streams:
                return [f"{path.name}: no streams"]
            for stream in container.streams:
                if next(iter(container.decode(stream)), None) is None:
                    return [f"{path.name}: stream {stream.index} has no frames"]
                container.seek(0)
    except av.FFmpegError as exc:
        return [f"{path.name}: {exc}"]
    return []


def matches(expect: dict[str, Any], outcome: Outcome) -> bool:
    """Whether the outcome is the one the fixture records (a refusal must name its reason)."""
    if expect["result"] == "REFUSED":
        return outcome.result == "REFUSED" and (
            outcome.detail.startswith(f"{expect.get('code', 'BadRequestException')}: ")
            and expect["reason"].lower() in outcome.detail.lower()
        )
    return outcome.result == expect["result"]


@contextlib.contextmanager
def inputs_uploaded(storage: Storage, prefix: str) -> Iterator[None]:
    with tempfile.TemporaryDirectory(prefix="corpus-in-") as tmp:
        upload_inputs(storage, prefix, make_inputs(Path(tmp)))
        yield


@contextlib.contextmanager
def corpus_emulator(storage: Storage, backend_settings: Any, data_dir: Path) -> Iterator[Any]:
    """An emulator running the FFmpeg backend against ``storage``; yields a boto3 client."""
    from tests.support.emulator import ACCESS_KEY, ADMIN_TOKEN, SECRET_KEY, boto_client
    from vod_testbed.backends.ffmpeg.backend import FFmpegBackend
    from vod_testbed.emulator.app import create_app
    from vod_testbed.emulator.config import EmulatorSettings
    from vod_testbed.emulator.server import EmulatorServer

    settings = EmulatorSettings(
        data_dir=data_dir,
        access_key_id=ACCESS_KEY,
        secret_access_key=SECRET_KEY,
        admin_token=ADMIN_TOKEN,
        time_compression=100.0,
    )
    app = create_app(
        {
            "TESTING": True,
            "EMULATOR_SETTINGS": settings,
            "TRANSCODER_FACTORY": lambda: FFmpegBackend(settings=backend_settings, storage=storage),
        }
    )
    server = EmulatorServer(app).start()
    try:
        yield boto_client(server.url)
    finally:
        server.stop()
        app.extensions["emulator"].close()
