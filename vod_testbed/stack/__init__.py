"""The local stack - storage, the MediaConvert emulator and the pipeline - started together
from one settings object (:mod:`.settings`, :mod:`.stack`), and described to clients in any
language by a ready file (:mod:`.ready`). ``vod-testbed dev`` and the pytest plugin both start
it here. The package itself imports nothing, so ``vod-testbed wait`` stays light."""
