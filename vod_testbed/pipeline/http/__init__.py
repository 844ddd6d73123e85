"""The pipeline's HTTP layer: the video API, the MediaConvert webhook receiver, the S3
notification endpoint, and the Flask app that serves them (:func:`.app.create_app`)."""
