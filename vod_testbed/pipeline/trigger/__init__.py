"""The upload trigger, exactly as the Lambda zip ships it: an S3 ObjectCreated event in, a
transcoding job out (:func:`.handler.handler`). Nothing here imports a web framework, a
database driver, or the pipeline's HTTP, database or deployment code."""
