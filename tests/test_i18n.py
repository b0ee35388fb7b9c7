"""Every translatable string has a Chinese translation (the interface is Chinese by default)."""
import pytest

from core.i18n_catalogs import catalogs, missing


@pytest.mark.parametrize("name", sorted(catalogs()))
def test_catalog_is_complete(name):
    assert missing(name) == [], f"run `concord i18n update {name}` and translate these"
