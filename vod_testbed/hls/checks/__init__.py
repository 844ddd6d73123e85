"""The check families of the HLS validator, one module each; every check reports into a
:class:`~vod_testbed.hls.model.Context`."""
