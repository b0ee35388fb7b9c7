"""Fill a catalog's Chinese translations from a JSON mapping (English msgid → Chinese).

    python tools/fill_po.py core/translations/zh/LC_MESSAGES/messages.po translations.json
"""
import json
import sys

from babel.messages.pofile import read_po, write_po


def main(po_path: str, mapping_path: str) -> None:
    with open(mapping_path, encoding="utf-8") as fh:
        mapping = json.load(fh)
    with open(po_path, "rb") as fh:
        catalog = read_po(fh, locale="zh")
    filled = 0
    for msg in catalog:
        if msg.id and isinstance(msg.id, str) and msg.id in mapping:
            msg.string = mapping[msg.id]
            msg.flags.discard("fuzzy")
            filled += 1
    with open(po_path, "wb") as fh:
        write_po(fh, catalog, width=0, sort_output=True)
    print(f"{po_path}: {filled} filled")


if __name__ == "__main__":
    main(*sys.argv[1:3])
