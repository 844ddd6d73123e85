"""The README that comes with the staging artifacts: what to apply, in which order, and how
to redrive the webhook's dead letters."""

from __future__ import annotations

from vod_testbed.pipeline.deploy.config import DeployConfig


def staging_readme(
    config: DeployConfig, files: list[str], webhook_url: str, dead_letters: str, api_key_header: str
) -> str:
    """README.md of the rendered artifacts."""
    listed = "\n".join(f"- `{name}`" for name in files)
    name = config.name
    queue_url = f"https://sqs.{config.region}.amazonaws.com/{config.account_id}/{dead_letters}"
    return f"""# {name}: staging deployment

Rendered by `python -m vod_testbed.pipeline.deploy render` for account {config.account_id}, region
{config.region}, bucket `{config.bucket}`. Replace `${{WEBHOOK_SECRET}}` with the shared
secret and `<id>` with the ids AWS returns. The webhook, `{webhook_url}`, must be
HTTPS: an EventBridge API destination calls nothing else, and rendering refuses an
http:// `PIPELINE_WEBHOOK_URL`. Files:

{listed}

Apply, in order (``aws`` CLI v2):

1. Roles: `aws iam create-role --role-name {name}-upload-trigger
   --assume-role-policy-document file://iam/lambda-trust-policy.json`, then
   `aws iam put-role-policy --role-name {name}-upload-trigger --policy-name trigger
   --policy-document file://iam/lambda-policy.json`; likewise `mediaconvert`
   (the role in MEDIACONVERT_ROLE_ARN; its trust names this account and its queue) and
   `{name}-eventbridge` (trusted for the rule only).
2. The pipeline host: attach `iam/pipeline-policy.json` to the role it runs as (presigned
   PUTs of uploads and GETs of outputs, listing thumbnails, HeadBucket). It never creates
   the bucket on AWS: create `{config.bucket}` first. Run it with `--no-watch`: the Lambda
   function is the upload trigger in staging.
3. Lambda: `aws lambda create-function --cli-input-json file://lambda/function.json
   --zip-file fileb://lambda-upload-trigger.zip`, then
   `aws lambda add-permission --cli-input-json file://lambda/s3-invoke-permission.json`.
4. S3: `aws s3api put-bucket-notification-configuration --bucket {config.bucket}
   --notification-configuration file://s3/notification.json`. One rule per video
   extension an upload may have under `video/`, for PUTs (an upload is a presigned PUT):
   the job's outputs (`.m3u8`, `.ts`, `.jpg`) are written under `video/` too and match no
   suffix, and the trigger's pinned copy of the upload is a copy, so neither invokes it.
5. Dead letters: `aws sqs create-queue --cli-input-json file://sqs/dead-letter-queue.json`
   (its policy lets only this rule's target send to it).
6. EventBridge: `aws events create-connection --cli-input-json
   file://eventbridge/connection.json`, `aws events create-api-destination
   --cli-input-json file://eventbridge/api-destination.json`, `aws events put-rule
   --cli-input-json file://eventbridge/rule.json`, `aws events put-targets
   --cli-input-json file://eventbridge/targets.json`.

## Redriving dead letters

EventBridge retries a delivery that times out (after 5 s) or is answered with 401, 407, 409,
429 or a 5xx, for up to a day; other 4xx answers are not retried. Either way the event then lands in
`{dead_letters}`: its body is the event itself, its `ERROR_CODE` and `ERROR_MESSAGE`
attributes say why. The webhook answers 4xx only for events it will never accept (bad
authentication, not a job event) and 5xx for what may work later. Once the cause is fixed,
post each message's body to the webhook with the connection's header and delete what it
accepts. The webhook applies an event id once, so a repeated redrive is harmless. One pass
over up to 10 messages; repeat until `aws sqs get-queue-attributes --queue-url "$QUEUE"
--attribute-names ApproximateNumberOfMessages` reports 0:

```sh
QUEUE={queue_url}
aws sqs receive-message --queue-url "$QUEUE" --max-number-of-messages 10 \\
    --message-attribute-names All --output json |
  jq -c '.Messages[]?' | while read -r message; do
    echo "$message" | jq -r .Body | curl --fail -sS -X POST '{webhook_url}' \\
        -H 'Content-Type: application/json' -H "{api_key_header}: $WEBHOOK_SECRET" \\
        --data-binary @- &&
      aws sqs delete-message --queue-url "$QUEUE" \\
        --receipt-handle "$(echo "$message" | jq -r .ReceiptHandle)"
  done
```

A message the webhook still refuses stays in the queue and shows again after its
visibility timeout; its attributes and the webhook's answer say why.
"""
