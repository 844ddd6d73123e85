#!/usr/bin/env bash
# What a CI job in any language does with vod-testbed: start the stack in the background,
# wait for it, upload a video with curl alone (a presigned PUT from the API), poll until the
# video is ready, then stop the stack with one SIGTERM.
#
# Usage: dev_smoke.sh VOD_TESTBED VIDEO WORK_DIR
set -euo pipefail
vod_testbed=$1 video=$2 work=$3

field() {  # field KEY... < JSON: the value at that path
  python3 -c 'import functools, json, sys
print(functools.reduce(lambda value, key: value[key], sys.argv[1:], json.load(sys.stdin)))' "$@"
}

"$vod_testbed" dev --text-logs --data-dir "$work/data" --ready-file "$work/ready.json" \
  --s3-port 0 --emulator-port 0 --api-port 0 >"$work/dev.log" 2>&1 &
dev=$!
trap 'kill -KILL "$dev" 2>/dev/null || true' EXIT

eval "$("$vod_testbed" wait --ready-file "$work/ready.json" --timeout 60 --env)"
api=$VOD_PIPELINE_URL

size=$(wc -c <"$video")
auth="Authorization: Bearer $VOD_TOKEN"
ticket=$(curl -fsS -X POST "$api/videos" -H 'Content-Type: application/json' -H "$auth" \
  -d "{\"filename\": \"clip.mp4\", \"content_type\": \"video/mp4\", \"size\": $size, \"course_id\": \"ci\"}")
id=$(field id <<<"$ticket")
headers=()
while IFS= read -r header; do headers+=(-H "$header"); done < <(
  python3 -c 'import json, sys
for name, value in json.load(sys.stdin)["upload_headers"].items(): print(f"{name}: {value}")' <<<"$ticket")
curl -fsS -X PUT --upload-file "$video" "${headers[@]}" "$(field upload_url <<<"$ticket")"
echo "uploaded video $id"

deadline=$((SECONDS + 120))
while :; do
  status=$(curl -fsS -H "$auth" "$api/videos/$id" | field status)
  case $status in
    ready) break ;;
    failed) echo "video $id failed" >&2; exit 1 ;;
  esac
  if ((SECONDS >= deadline)); then echo "video $id still $status after 120 s" >&2; exit 1; fi
  sleep 0.5
done
echo "video $id ready"

kill -TERM "$dev"
wait "$dev"
echo "stack stopped"
