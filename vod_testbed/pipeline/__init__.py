"""The platform side of the flow: the upload trigger (``trigger/``), the HTTP layer
(``http/``), the content service and its database, and deployment (``deploy/``).
See docs/ARCHITECTURE.md."""
