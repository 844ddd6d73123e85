"""Deployment: the staging artifacts (:mod:`.artifacts`) and the upload trigger's Lambda
zip (:mod:`.lambda_package`); ``python -m vod_testbed.pipeline.deploy`` runs either."""
