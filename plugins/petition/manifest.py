from core.plugins import Manifest

manifest = Manifest(
    name="petition",
    version="0.1.0",
    title="Petition register",
    title_zh="信访事项登记",
    depends=(),
    uses=(),
    namespaces=(),
    setup="plugins.petition.plugin:setup",
)
