from core.plugins import Manifest

manifest = Manifest(
    name="mediation",
    version="0.1.0",
    title="Grid mediation",
    title_zh="网格调解",
    depends=(),
    uses=(),
    namespaces=(),
    setup="plugins.mediation.plugin:setup",
)
