"""Video assets: the content service and its database records, asset states and
their transitions, access and courses, uploads, deletion (docs/ARCHITECTURE.md, "The
pipeline's parts")."""
