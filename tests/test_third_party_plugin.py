"""A plugin from outside this repository works: tests/example_plugin is a separate distribution
(``concord-example``, package ``concord_example``). It is installed with pip into a folder of its own;
with that folder on ``sys.path`` Concord discovers it through the ``concord.plugins`` entry point, and
it contributes a page with a permission, a menu entry and a scheduled job, like a built-in plugin."""
from __future__ import annotations

import importlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import IsolatedClient, login

SOURCE = Path(__file__).parent / "example_plugin"


@pytest.fixture(scope="session")
def example_dist(session_dir) -> str:
    """pip-install the example distribution into its own target folder (once per session)."""
    src = os.path.join(session_dir, "example-src")
    target = os.path.join(session_dir, "example-dist")
    # build from a copy so setuptools' build/ and *.egg-info never land in the repository
    shutil.copytree(SOURCE, src, ignore=shutil.ignore_patterns("build", "*.egg-info", "__pycache__"))
    cmd = [sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-deps",
           "--no-build-isolation", "--no-index", "--target", target, src]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, f"pip could not install the example plugin:\n{proc.stdout}\n{proc.stderr}"
    assert os.path.isdir(os.path.join(target, "concord_example"))
    return target


@pytest.fixture
def installed(example_dist, monkeypatch):
    """The example plugin is importable and its entry point visible, for this test only."""
    monkeypatch.syspath_prepend(example_dist)
    yield example_dist
    monkeypatch.undo()
    for name in [m for m in sys.modules if m == "concord_example" or m.startswith("concord_example.")]:
        del sys.modules[name]
    importlib.invalidate_caches()


@pytest.fixture
def example_app(installed, make_app):
    """An app with every installed plugin, the example included, after ``concord db upgrade``."""
    from core.bootstrap import upgrade_and_sync

    app = make_app()
    app.test_client_class = IsolatedClient
    app.config["WTF_CSRF_ENABLED"] = False
    with app.app_context():
        upgrade_and_sync(app)  # what an operator runs after installing a plugin: syncs its permission
        yield app


def test_the_entry_point_is_discovered(installed):
    from importlib.metadata import distribution
    from core.plugins.registry import discover

    assert distribution("concord-example").version == "1.2.0"
    found = discover()
    assert "example" in found
    assert found["example"].version == "1.2.0" and found["example"].depends == ("petition",)


def test_not_installed_means_not_there(make_app):
    """Without the distribution on the path, nothing of it shows (and the rest of the suite is unaffected)."""
    app = make_app()
    assert not app.extensions["concord"].is_loaded("example")
    assert "example.index" not in app.view_functions


def test_its_page_permission_and_menu(example_app):
    host = example_app.extensions["concord"]
    assert host.is_loaded("example")
    assert [m.name for m in host.loaded].index("example") > [m.name for m in host.loaded].index("petition")

    admin = example_app.test_client()
    assert login(admin, "admin").status_code == 302
    page = admin.get("/example/")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'id="example-proof"' in html and "本页面来自一个独立安装的插件包" in html  # its own catalog
    home = admin.get("/").get_data(as_text=True)
    assert 'data-menu="example.root"' in home and "示例" in home

    officer = example_app.test_client()  # the plugin grants its permission to officers by default
    assert login(officer, "officer").status_code == 302
    assert officer.get("/example/").status_code == 200

    grid = example_app.test_client()
    assert login(grid, "grid1").status_code == 302
    assert grid.get("/example/").status_code == 403
    assert 'data-menu="example.root"' not in grid.get("/").get_data(as_text=True)

    anonymous = example_app.test_client()
    resp = anonymous.get("/example/")
    assert resp.status_code == 302 and "/login" in resp.location


def test_its_scheduled_job(example_app):
    try:
        from core.scheduler import JobSpec
    except ImportError:
        pytest.skip("the scheduler service (core.scheduler.JobSpec) is not built yet")
    jobs = {c.key: c for c in example_app.extensions["concord"].items("job")}
    assert "example.heartbeat" in jobs, f"jobs: {sorted(jobs)}"
    assert jobs["example.heartbeat"].plugin == "example"
    spec = jobs["example.heartbeat"].value
    assert isinstance(spec, JobSpec) and spec.next_run() is not None

    # and it runs: through the scheduler's "run now" when there is one, else called as the runner would
    beat = Path(example_app.instance_path) / "example-heartbeat"
    assert not beat.exists()
    try:
        from core.scheduler.runner import run_job_now
    except ImportError:
        spec.func()
    else:
        state, _run = run_job_now("example.heartbeat", app=example_app)
        assert state == "ok", state
    assert beat.read_text().startswith("20")


def test_concord_plugins_lists_it(installed, db_url, tmp_path):
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (installed, env.get("PYTHONPATH", "")) if p)
    env["DATABASE_URL"] = db_url
    env["CONCORD_INSTANCE"] = str(tmp_path / "cli-instance")
    concord = Path(sys.executable).with_name("concord")
    cmd = [str(concord)] if concord.exists() else [sys.executable, "-c", "from core.cli import main; main()"]
    proc = subprocess.run(cmd + ["plugins"], capture_output=True, text=True, env=env, timeout=300)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "example 1.2.0" in out and "depends: petition" in out, out
    assert "example.page.read" in out and "example.root" in out and "/example" in out, out
    lines = out.splitlines()
    assert lines.index(next(l for l in lines if l.startswith("example "))) > \
        lines.index(next(l for l in lines if l.startswith("petition "))), "example loads after petition"


def test_a_new_plugin_adds_a_role_a_workflow_a_kpi_and_a_chart_without_touching_core(example_app):
    """issue 15's proof: everything below comes from the example package, through ctx and core.toolkit."""
    from sqlalchemy import select

    from core.auth.models import Role
    from core.db import db
    from core.errors import ServiceError
    from core.kpi import charts, measures, periods
    from core.regions.models import Region
    from concord_example.models import Suggestion
    from concord_example.workflow import WORKFLOW

    role = db.session.get(Role, "example_clerk")           # created by `concord db upgrade` with its grants
    assert role is not None and {"example.page.read", "core.dashboard.read"} <= {p.code for p in role.permissions}

    from core.seed import DISTRICT
    district = db.session.scalar(select(Region).where(Region.code == DISTRICT))
    s = Suggestion(text="路灯坏了", region_id=district.id)
    db.session.add(s)
    db.session.flush()
    with pytest.raises(ServiceError):
        WORKFLOW.check(s, "close")                          # not at the stage "new"
    WORKFLOW.move(s, "answer")
    assert s.state == "answered"

    class Clerk:
        def can(self, perm):
            return perm == "example.page.read"
    [close] = WORKFLOW.available_actions(s, Clerk())
    assert close["code"] == "close" and close["confirm"]

    assert "example.suggestions" in measures.measures()     # a KPI measure…
    month = periods.containing("month", s.created_at)
    got = {c["id"]: c for c in charts.charts(district, month)}
    assert "example_suggestions" in got                      # …and its dashboard chart
    assert sum(sum(d["data"]) for d in got["example_suggestions"]["datasets"]) == 1
