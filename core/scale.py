"""``concord seed scale``: synthetic volume; every plugin contributes its own records."""
from __future__ import annotations

import click
from tqdm import tqdm

from core.db import db


def seed_scale(host, petitions: int = 0, disputes: int = 0) -> None:
    seeders = host.items("seed_scale")
    if not seeders:
        click.echo("no plugin contributes scale data")
        return
    for c in seeders:
        with tqdm(desc=c.key, unit="rec", total=None, file=None) as bar:
            c.value(petitions=petitions, disputes=disputes, progress=bar.update)
        db.session.commit()
    from core.db import refresh_planner_statistics
    refresh_planner_statistics()
