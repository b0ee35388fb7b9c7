from core.plugins import Manifest

manifest = Manifest(
    name="hearing",
    version="0.1.0",
    title="Hearings",
    title_zh="公开听证",
    depends=('petition',),
    uses=(),
    namespaces=(),
    setup="plugins.hearing.plugin:setup",
)
