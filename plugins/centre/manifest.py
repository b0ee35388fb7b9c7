from core.plugins import Manifest

manifest = Manifest(
    name="centre",
    version="0.1.0",
    title="One-stop centre",
    title_zh="综治中心（矛盾纠纷调处化解中心）",
    summary="One window, one case code, triage to the units, lead and co-handlers, supervision, joint meetings",
    depends=("petition", "mediation", "legal_aid"),
    setup="plugins.centre.plugin:setup",
)
