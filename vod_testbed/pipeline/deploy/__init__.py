"""Deployment: the staging artifacts (:mod:`.artifacts`) and the upload trigger's Lambda
zip (:mod:`.lambda_package`); ``vod-testbed deploy`` runs either."""
