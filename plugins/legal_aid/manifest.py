from core.plugins import Manifest

manifest = Manifest(
    name="legal_aid",
    version="0.1.0",
    title="Legal channels and legal aid",
    title_zh="诉访分离与法律援助",
    depends=('petition',),
    uses=('mediation',),
    namespaces=('referral',),
    setup="plugins.legal_aid.plugin:setup",
)
