"""Print what the emulator does with each job of the public corpus: job, source, result,
first refusal reason, and the totals. Starts its own S3 server and emulator.

    .venv/bin/python -m tests.bench.corpus_report [--json]
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import sys
import tempfile
from pathlib import Path

from tests.support.corpus import corpus, corpus_emulator, inputs_uploaded, matches, run_job
from vod_testbed.common.settings import BackendSettings
from vod_testbed.storage.embedded import start_embedded_s3
from vod_testbed.storage.s3 import Storage

BUCKET = "corpus"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="one JSON object per job")
    parser.add_argument("jobs", nargs="*", help="job names (default: all)")
    args = parser.parse_args(argv)
    jobs = corpus()
    names = args.jobs or sorted(jobs)
    s3 = start_embedded_s3()
    os.environ["AWS_ACCESS_KEY_ID"] = s3.access_key_id
    os.environ["AWS_SECRET_ACCESS_KEY"] = s3.secret_access_key
    rows = []
    try:
        with tempfile.TemporaryDirectory(prefix="corpus-report-") as tmp:
            settings = BackendSettings.from_env({}).replace(
                s3_endpoint_url=s3.endpoint_url,
                s3_bucket=BUCKET,
                work_dir=Path(tmp) / "work",
                max_concurrent_jobs=2,
            )
            storage = Storage(settings)
            storage.ensure_bucket(BUCKET)
            prefix = f"s3://{BUCKET}/run"
            with (
                inputs_uploaded(storage, prefix),
                corpus_emulator(storage, settings, Path(tmp) / "emulator") as mc,
            ):
                for name in names:
                    outcome = run_job(mc, storage, prefix, jobs[name]["Settings"])
                    rows.append((name, jobs[name], outcome))
                    print(f"  {name}: {outcome.result}", file=sys.stderr, flush=True)
    finally:
        s3.stop()
    if args.json:
        for name, job, outcome in rows:
            print(json.dumps({"job": name, "source": job["_source"], "result": outcome.result,
                              "detail": outcome.detail,
                              "as_recorded": matches(job["expect"], outcome)}))  # fmt: skip
        return 0
    print(f"{'job':34} {'result':9} {'as recorded':11} first refusal / problem  [source]")
    for name, job, outcome in rows:
        recorded = "yes" if matches(job["expect"], outcome) else "NO"
        print(f"{name:34} {outcome.result:9} {recorded:11} {outcome.detail}  [{job['_source']}]")
    by_result = collections.Counter(outcome.result for _, _, outcome in rows)
    complete = by_result["COMPLETE"]
    print(f"\n{complete} of {len(rows)} complete; " + ", ".join(
        f"{k} {v}" for k, v in sorted(by_result.items())))  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
