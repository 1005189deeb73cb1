"""`sift report`: a static HTML page with inline SVG charts, readable offline."""

from __future__ import annotations

import base64
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from flows.cli import main
from tests.fixtures_landed import land_folder, write_corpus

CHROMIUM = Path("/usr/bin/chromium")
_IMG = re.compile(r'<img alt="([^"]+)" src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)">')


@pytest.fixture
def two_runs(tmp_path, db_path):
    corpus = write_corpus(tmp_path / "corpus")
    first = land_folder(db_path, [corpus])
    (corpus / "more.txt").write_text(
        "A second story about the harbour and its ferries, told in other words entirely for the test.\n"
        "Read more: Ferry prices go up\n",
        encoding="utf-8",
    )
    second = land_folder(db_path, [corpus])
    return db_path, first, second


def _charts(page: str) -> dict[str, ET.Element]:
    return {alt: ET.fromstring(base64.b64decode(data)) for alt, data in _IMG.findall(page)}


def test_report_has_four_inline_svg_charts_and_no_external_references(two_runs, tmp_path, capsys):
    pytest.importorskip("matplotlib")
    db, first, _second = two_runs
    out = tmp_path / "report.html"
    assert main(["report", "--run", first, "--out", str(out), "--db", str(db)]) == 0
    page = out.read_text(encoding="utf-8")
    charts = _charts(page)
    assert set(charts) == {
        "Lines removed by rule",
        "Languages",
        "Duplicate cluster sizes",
        "Documents and time per stage",
    }
    assert all(svg.tag.endswith("svg") for svg in charts.values())
    # offline: nothing is fetched, no script runs
    assert not re.search(r"(src|href)=\"(https?:|//)", page) and "<script" not in page
    assert f"sift run {first}" in page
    assert "<tr><th>documents landed</th><td>5</td></tr>" in page
    assert first in capsys.readouterr().out


def test_report_defaults_to_the_newest_run_and_trends_cover_both(two_runs, tmp_path):
    pytest.importorskip("matplotlib")
    from flows.report import report_data
    from warehouse.connection import connect

    db, first, second = two_runs
    con = connect(db, read_only=True)
    try:
        data = report_data(con)
    finally:
        con.close()
    assert data["run"]["run_id"] == second
    assert [r["run_id"] for r in data["recent_runs"]] == [first, second]
    assert data["run"]["n_documents"] == 1 and data["run"]["removed_by_rule"] == {"teaser_link": 1}
    out = tmp_path / "r.html"
    assert main(["report", "--out", str(out), "--db", str(db)]) == 0
    page = out.read_text(encoding="utf-8")
    assert f"sift run {second}" in page
    assert "(none in this run)" not in page.split("Languages")[0]  # the rules chart is drawn


def test_report_errors_and_usage(two_runs, tmp_path, capsys):
    db, _, _ = two_runs
    assert main(["report", "--run", "nope", "--out", str(tmp_path / "x.html"), "--db", str(db)]) == 1
    assert "no run 'nope'" in capsys.readouterr().err
    assert main(["report", "--out", str(tmp_path / "x.html"), "--db", str(tmp_path / "none.duckdb")]) == 1
    assert main(["report", "--out", str(tmp_path / "no" / "such" / "x.html"), "--db", str(db)]) == 2
    assert main(["report", "--runs", "0", "--out", str(tmp_path / "x.html"), "--db", str(db)]) == 2
    with pytest.raises(SystemExit) as exit_info:
        main(["report", "--db", str(db)])  # --out is required
    assert exit_info.value.code == 2
    assert not (tmp_path / "x.html").exists()


def _colour_counts(png: Path) -> list[tuple[int, tuple[int, int, int]]]:
    image = pytest.importorskip("PIL.Image")  # Pillow comes with matplotlib
    with image.open(png) as im:
        return im.convert("RGB").getcolors(maxcolors=1 << 24)


@pytest.mark.slow
@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium (.ci/run installs it)")
def test_report_renders_in_headless_chromium(two_runs, tmp_path):
    pytest.importorskip("matplotlib")
    db, first, _ = two_runs
    out = tmp_path / "report.html"
    assert main(["report", "--run", first, "--out", str(out), "--db", str(db)]) == 0
    shot = tmp_path / "shot.png"
    profile = tmp_path / "chromium-profile"
    cmd = [
        str(CHROMIUM),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={profile}",
        "--window-size=1000,2600",
        "--hide-scrollbars",
        f"--screenshot={shot}",
        out.as_uri(),
    ]
    try:
        subprocess.run(cmd, check=True, timeout=120, capture_output=True)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    colours = _colour_counts(shot)
    total = sum(n for n, _ in colours)
    white = sum(n for n, c in colours if c == (255, 255, 255))
    assert white < 0.97 * total, "the screenshot is (almost) blank"
    # the charts' bar colour is on screen: the SVG images rendered, not only the text
    bar_blue = sum(n for n, (r, g, b) in colours if abs(r - 0x3B) < 8 and abs(g - 0x6E) < 8 and abs(b - 0xA5) < 8)
    assert bar_blue > 2000
