# Read before any plugin code runs: keep it cheap (no Flask, no models).
from core.plugins import Manifest

manifest = Manifest(
    name="example",
    version="1.2.0",
    title="Example",
    title_zh="示例",
    depends=("petition",),
    setup="concord_example.plugin:setup",
    summary="A third-party plugin installed from its own distribution",
)
