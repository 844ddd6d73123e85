"""The pytest plugin as a platform's test suite meets it: inert until asked, configured by
ini and command line, its data kept only when asked."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pytest_plugins = ["pytester"]


def test_the_plugin_starts_and_imports_nothing_until_a_fixture_asks(pytester):
    pytester.makepyfile(
        """
        import sys, threading

        def test_nothing_of_the_stack_is_loaded_or_running(request):
            assert request.config.pluginmanager.has_plugin("vod_testbed")
            heavy = [m for m in ("boto3", "moto", "flask", "vod_testbed.stack.stack")
                     if m in sys.modules]
            assert heavy == []
            assert [t.name for t in threading.enumerate()] == ["MainThread"]
        """
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)


def test_a_test_starts_with_no_events_and_no_fault_an_earlier_test_left(pytester):
    pytester.makepyfile(
        """
        import pytest
        from botocore.exceptions import ClientError
        from vod_testbed.testing.events import EventTimeout, VideoNotice

        def no_retries(vod_stack):
            return vod_stack.client("mediaconvert", retries={"total_max_attempts": 1})

        def test_1_leaves_a_notice_and_an_armed_throttle(vod_stack, vod_events):
            vod_events.record_video_notice(VideoNotice("n1", "v1", "ready", {"id": "v1"}))
            vod_stack.throttle(count=5, operations=["ListQueues"])
            with pytest.raises(ClientError, match="TooManyRequestsException"):
                no_retries(vod_stack).list_queues()
            assert vod_events.wait_for_video("v1", "ready", timeout=0) == {"id": "v1"}

        def test_2_sees_neither(vod_stack, vod_events):
            with pytest.raises(EventTimeout):
                vod_events.wait_for_video("v1", "ready", timeout=0)
            assert [q["Name"] for q in no_retries(vod_stack).list_queues()["Queues"]] == ["Default"]
        """
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=2)


def settings_probe(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        def test_settings(vod_stack_settings):
            s = vod_stack_settings
            print("SETTINGS", s.pipeline.backend.transcoder_backend, s.s3_port,
                  s.emulator_port, s.api_port, s.emulator.time_compression)
        """
    )


def test_the_ini_file_configures_the_stack(pytester):
    pytester.makeini(
        "[pytest]\nvod_backend = ffmpeg\nvod_s3_port = 19000\nvod_time_compression = 20\n"
    )
    settings_probe(pytester)
    result = pytester.runpytest("-s")
    result.stdout.fnmatch_lines(["*SETTINGS ffmpeg 19000 0 0 20.0*"])


def test_the_command_line_wins_over_the_ini_file(pytester):
    pytester.makeini("[pytest]\nvod_backend = ffmpeg\nvod_api_port = 18000\n")
    settings_probe(pytester)
    result = pytester.runpytest("-s", "--vod-backend", "mediaconvert", "--vod-api-port", "18001")
    result.stdout.fnmatch_lines(["*SETTINGS mediaconvert 0 0 18001 1.0*"])


def test_a_port_that_is_not_a_number_is_a_usage_error(pytester):
    pytester.makeini("[pytest]\nvod_emulator_port = eighty\n")
    settings_probe(pytester)
    result = pytester.runpytest()
    result.stdout.fnmatch_lines(["*vod_emulator_port must be an integer, got 'eighty'*"])
    result.assert_outcomes(errors=1)


def data_dir_probe(pytester: pytest.Pytester, outcome: str) -> None:
    pytester.makepyfile(
        f"""
        def test_writes_state(vod_stack_settings):
            (vod_stack_settings.data_dir / "state").write_text("kept?")
            print("DATA_DIR", vod_stack_settings.data_dir)
            assert {outcome!r} == "pass"
        """
    )


def data_dir_of(result: pytest.RunResult) -> Path:
    match = re.search(r"DATA_DIR (\S+)", result.stdout.str())
    assert match, result.stdout.str()
    return Path(match.group(1))


def test_the_data_dir_is_removed_after_a_failed_session_by_default(pytester):
    data_dir_probe(pytester, "fail")
    result = pytester.runpytest("-s")
    result.assert_outcomes(failed=1)
    assert not data_dir_of(result).exists()


def test_keep_data_keeps_the_data_dir_of_a_failed_session_and_says_where(pytester):
    data_dir_probe(pytester, "fail")
    result = pytester.runpytest("-s", "--vod-keep-data")
    kept = data_dir_of(result)
    result.stdout.fnmatch_lines([f"vod-testbed: the stack's data is kept in {kept}"])
    assert (kept / "state").read_text() == "kept?"


def test_keep_data_on_failure_removes_the_data_dir_of_a_passing_session(pytester):
    data_dir_probe(pytester, "pass")
    result = pytester.runpytest("-s", "--vod-keep-data")
    result.assert_outcomes(passed=1)
    assert not data_dir_of(result).exists()


@pytest.mark.e2e
def test_with_the_ffmpeg_backend_in_process_jobs_are_recorded_as_events(pytester):
    pytester.makepyfile(
        """
        def test_upload(vod_stack, vod_events, sample_video, s3_client, mediaconvert_client):
            upload = vod_stack.upload_video(sample_video(duration_s=1, size=(320, 180)))
            video = vod_events.wait_for_video(upload["id"], "ready", timeout=120)
            assert vod_events.statuses(video["job_id"]) == ["SUBMITTED", "PROGRESSING", "COMPLETE"]
            assert s3_client.head_object(Bucket=vod_stack.bucket, Key=video["master_playlist_key"])
            assert [q["Name"] for q in mediaconvert_client.list_queues()["Queues"]] == ["Default"]
        """
    )
    result = pytester.runpytest("--vod-backend", "ffmpeg", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)
