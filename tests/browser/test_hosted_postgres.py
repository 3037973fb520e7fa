"""``hosted/run.sh`` with ``ALIGNMENT_DATABASE_URL`` naming a PostgreSQL on this machine that is
not running: it starts one of its own from Debian's binaries (as the postgres user when run as
root), makes its data folder and the database once, the app works on it, and it stops with
run.sh. Without HAProxy or PostgreSQL these tests skip, unless ``REQUIRE_PROXY=1`` or
``REQUIRE_POSTGRES=1`` (as in CI), when they fail.
"""

from __future__ import annotations

import asyncio
import glob
import os
import secrets
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psycopg
import pytest
from conftest import ROOT

sys.path.insert(0, str(ROOT / "tests" / "load"))
from streamlit_ws_client import StreamlitSession

START_SECONDS = 120


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=2):
            return True
    except OSError:
        return False


@pytest.fixture
def postgres_folder() -> Iterator[Path]:
    """A folder the postgres user can reach (pytest's own are closed to other users)."""
    for tool, package in (("haproxy", "haproxy"), ("openssl", "openssl")):
        if shutil.which(tool) is None:
            _unavailable("REQUIRE_PROXY", f"{tool} is missing: install Debian's {package}")
    if not glob.glob("/usr/lib/postgresql/*/bin/initdb"):
        _unavailable("REQUIRE_POSTGRES", "PostgreSQL is not installed (apt-get install postgresql)")
    base = Path(tempfile.mkdtemp(prefix="alignment-hosted-postgres-"))
    base.chmod(0o711)  # others may pass through to the folder run.sh hands the postgres user
    try:
        yield base / "postgres"
    finally:
        _stop_any_postgres(base / "postgres" / "data")
        shutil.rmtree(base, ignore_errors=True)


def _unavailable(require: str, reason: str) -> None:
    if os.environ.get(require) == "1":
        pytest.fail(f"{require}=1 but {reason}", pytrace=False)
    pytest.skip(reason)


def _stop_any_postgres(data: Path) -> None:
    """Whatever a failed test left running."""
    if (data / "postmaster.pid").exists():
        pg_ctl = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))[-1]
        as_owner = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        subprocess.run([*as_owner, pg_ctl, "-D", str(data), "-m", "immediate", "stop"],
                       capture_output=True, timeout=60, check=False)  # fmt: skip


def _run_sh(
    tmp_path: Path, postgres: Path, database_url: str, conninfo: str, run: int
) -> tuple[str, int]:
    """Start run.sh, open one session through its proxy, count the autosaves in the database,
    and stop run.sh with SIGTERM; its log and that count."""
    port, backend = _free_port(), _free_port()
    run_dir = tmp_path / f"run{run}"
    env = {
        **os.environ, "ALIGNMENT_FACILITATOR_PASSCODE": "lantern-orbit-42",
        "ALIGNMENT_DATA_DIR": str(tmp_path / "workshop_data"),
        "ALIGNMENT_POSTGRES_DIR": str(postgres), "ALIGNMENT_DATABASE_URL": database_url,
        "RUN_DIR": str(run_dir), "PYTHON": sys.executable,
        "PROCESSES": "1", "PORT": str(port), "ADDRESS": "127.0.0.1", "BACKEND_PORT": str(backend),
        "HOSTS": "localhost",
    }  # fmt: skip
    log = tmp_path / f"run{run}.log"
    with log.open("wb") as output:
        process = subprocess.Popen(["bash", "hosted/run.sh"], cwd=ROOT, env=env, stdout=output,
                                   stderr=subprocess.STDOUT, start_new_session=True)  # fmt: skip
    try:
        url = f"https://localhost:{port}"
        deadline = time.monotonic() + START_SECONDS
        while not _healthy(url, run_dir / "tls.crt"):
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"hosted/run.sh did not come up:\n{log.read_text()[-3000:]}")
            time.sleep(0.5)
        time.sleep(2.5)  # the proxy's health checks see the process up
        tls = ssl.create_default_context(cafile=str(run_dir / "tls.crt"))
        with ThreadPoolExecutor(1) as runner:  # an event loop of its own
            shown = runner.submit(asyncio.run, _visit(url, tls)).result()
        assert shown == ([], [])  # no exception, no error: the store answered
        autosaves = _drafts(conninfo)
        os.kill(process.pid, signal.SIGTERM)  # run.sh alone: it must stop PostgreSQL itself
        process.wait(timeout=60)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=30)
    return log.read_text(), autosaves


async def _visit(url: str, tls: ssl.SSLContext) -> tuple[list[str], list[str]]:
    async with StreamlitSession(url, tls=tls) as session:
        result = await session.run()
        return result.exceptions, result.errors


def _healthy(url: str, certificate: Path) -> bool:
    if not certificate.exists():
        return False
    context = ssl.create_default_context(cafile=str(certificate))
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", context=context, timeout=2) as r:
            return r.status == 200
    except OSError:
        return False


def _drafts(conninfo: str) -> int:
    with psycopg.connect(conninfo) as connection:
        row = connection.execute("SELECT count(*) FROM drafts").fetchone()
    return int(row[0]) if row else 0


def test_run_sh_starts_its_own_postgresql_makes_it_once_and_stops_it(tmp_path, postgres_folder):
    port, password = _free_port(), f"p@ss:{secrets.token_hex(4)}"
    url = f"postgresql+psycopg://workshop:{password.replace('@', '%40').replace(':', '%3A')}" \
        f"@127.0.0.1:{port}/Workshop_DB"  # fmt: skip
    conninfo = psycopg.conninfo.make_conninfo(host="127.0.0.1", port=port, user="workshop",
                                              password=password, dbname="Workshop_DB")  # fmt: skip

    first, autosaves = _run_sh(tmp_path, postgres_folder, url, conninfo, 1)
    assert "made a PostgreSQL data folder" in first
    assert "created the database Workshop_DB" in first
    assert autosaves == 1  # the session autosaved into it
    assert not _answers(port)  # stopped with run.sh

    second, autosaves = _run_sh(tmp_path, postgres_folder, url, conninfo, 2)
    assert "made a PostgreSQL data folder" not in second  # made once, then reused
    assert "created the database" not in second
    assert f"running on 127.0.0.1:{port}" in second
    assert autosaves == 2  # the first run's autosave is still there
    assert not _answers(port)


@pytest.mark.skipif(os.geteuid() != 0, reason="only root runs PostgreSQL as another user")
def test_a_data_folder_the_postgres_user_cannot_reach_is_refused_with_the_fix(tmp_path):
    if not glob.glob("/usr/lib/postgresql/*/bin/initdb") or shutil.which("haproxy") is None:
        pytest.skip("needs PostgreSQL and HAProxy")
    closed = tmp_path / "closed"
    closed.mkdir(mode=0o700)
    env = {
        **os.environ, "ALIGNMENT_FACILITATOR_PASSCODE": "lantern-orbit-42",
        "ALIGNMENT_DATA_DIR": str(closed / "workshop_data"), "RUN_DIR": str(tmp_path / "run"),
        "PYTHON": sys.executable, "PROCESSES": "1", "PORT": str(_free_port()),
        "BACKEND_PORT": str(_free_port()), "ADDRESS": "127.0.0.1",
        "ALIGNMENT_DATABASE_URL": f"postgresql://w:secret@localhost:{_free_port()}/w",
    }  # fmt: skip
    done = subprocess.run(["bash", "hosted/run.sh"], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120, check=False)  # fmt: skip
    assert done.returncode == 2
    assert "set ALIGNMENT_POSTGRES_DIR to a folder it can reach" in done.stderr
