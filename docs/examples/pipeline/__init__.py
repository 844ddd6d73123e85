"""The platform's own video pipeline code (here, only its MediaConvert webhook). It is named
``pipeline`` on purpose: vod-testbed installs everything under ``vod_testbed``, so this
package is never shadowed."""
