"""The pipeline's background work: the reaper, the upload watcher, the bridge of
in-process jobs (docs/ARCHITECTURE.md, "The pipeline's parts")."""
