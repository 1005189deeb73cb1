"""The temporary Prefect server `sift ingest` starts before importing Prefect."""

import os

import pytest

from flows import early_server


@pytest.fixture
def prefect_home(tmp_path, monkeypatch):
    monkeypatch.setenv("PREFECT_HOME", str(tmp_path))
    # set, then unset: monkeypatch then restores the variable's absence after the test,
    # whatever start() wrote into os.environ
    monkeypatch.setenv("PREFECT_API_URL", "")
    monkeypatch.delenv("PREFECT_API_URL")
    monkeypatch.delenv("PREFECT_PROFILES_PATH", raising=False)
    return tmp_path


def test_a_configured_server_is_left_to_prefect(prefect_home, monkeypatch):
    monkeypatch.setenv("PREFECT_API_URL", "http://127.0.0.1:4200/api")
    assert early_server.start() is None
    monkeypatch.delenv("PREFECT_API_URL")
    (prefect_home / "profiles.toml").write_text('[profiles.local]\nPREFECT_API_URL = "http://10.0.0.1:4200/api"\n')
    assert early_server.start() is None


@pytest.mark.slow  # a real server start, 5-10 s
def test_the_server_answers_and_is_named_then_stopped(prefect_home, monkeypatch):
    monkeypatch.setenv("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    server = early_server.start()
    try:
        assert server is not None
        assert os.environ["PREFECT_API_URL"] == server.api_url
        server.wait_ready(120)
    finally:
        if server is not None:
            server.stop()
    assert server.process.poll() is not None  # stopped


def test_a_server_that_dies_fails_with_its_exit_code(prefect_home):
    server = early_server.EarlyServer()
    server.process.kill()
    server.process.wait()
    with pytest.raises(early_server.ServerStartError, match="exited with code"):
        server.wait_ready(10)
    server.stop()
