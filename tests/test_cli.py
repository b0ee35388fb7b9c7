"""The concord command line: one-line errors with exit code 2, users create, plugins listing."""
import os
import subprocess
import sys

import pytest


@pytest.fixture
def run_cli(db_url, tmp_path):
    env = dict(os.environ, DATABASE_URL=db_url, CONCORD_INSTANCE=str(tmp_path / "inst"))

    def run(*args, stdin=""):
        return subprocess.run([sys.executable, "-c", "from core.cli import main; main()", *args],
                              input=stdin, capture_output=True, text=True, env=env, timeout=120)
    return run


def test_bad_input_is_one_line_and_exit_2(run_cli):
    for args in (["seed", "scale", "--petitions", "many"], ["no-such-command"],
                 ["users", "create", "x", "--role", "wizard"]):
        result = run_cli(*args, stdin="long-enough-password\n")
        assert result.returncode == 2, (args, result.stderr)
        lines = [l for l in result.stderr.splitlines() if l.strip()]
        assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr


def test_users_create_reads_password_from_stdin(run_cli, app):
    result = run_cli("users", "create", "zhangsan", "--role", "officer", "--region", "430611000000",
                     stdin="a-good-password\n")
    assert result.returncode == 0, result.stderr
    from core.auth.models import User
    from core.auth.passwords import verify_password
    from core.db import db
    from sqlalchemy import select
    user = db.session.scalar(select(User).where(User.username == "zhangsan"))
    assert user is not None and verify_password(user.password_hash, "a-good-password")
    assert user.region.code == "430611000000" and user.role_codes == {"officer"}
    again = run_cli("users", "create", "zhangsan", "--role", "officer", stdin="a-good-password\n")
    assert again.returncode == 2


def test_plugins_lists_load_order_and_contributions(run_cli):
    result = run_cli("plugins")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.index("petition 0.1.0") < out.index("hearing 0.1.0")
    assert "permission     hearing.hearing.read" in out and "menu           petition.root" in out
