"""index.html in a real headless Chromium: the table and plots render and clicking a header sorts."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import build_log, standard_outcomes, write_log
from headless import Browser, find_chromium

from scaleblind.results.leaderboard import write_leaderboard
from scaleblind.results.load import load_results

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(find_chromium() is None, reason="needs chromium (apt-get install chromium)")]

COLUMN = "Array.from(document.querySelectorAll('#leaderboard tbody tr')).map(r => r.cells[{i}].textContent)"
CLICK = "document.querySelectorAll('#leaderboard th')[{i}].click()"


@pytest.fixture
def page(tmp_path: Path) -> Path:
    """A leaderboard of three models with clearly different blueprint gains."""
    logs = tmp_path / "logs"
    logs.mkdir()
    for name, strength in (("mid", 1), ("top", 2), ("low", 0)):
        write_log(build_log(f"mock/{name}", standard_outcomes(strength), epochs=4), logs, name)
    write_leaderboard(load_results([logs]), tmp_path / "out", n_boot=300)
    return tmp_path / "out" / "index.html"


def test_page_renders_and_sorts(page: Path, tmp_path: Path):
    with Browser(1100, 900) as browser:
        browser.open(page)
        assert browser.eval(COLUMN.format(i=1)) == ["mock/top", "mock/mid", "mock/low"]
        headers = browser.eval("Array.from(document.querySelectorAll('#leaderboard th')).map(h => h.textContent)")
        assert headers[:5] == ["rank", "model", "blueprint", "vague", "lift"]
        plots = browser.eval("Array.from(document.querySelectorAll('.plots img'))"
                             ".map(i => [i.complete, i.naturalWidth, i.getBoundingClientRect().height])")
        assert len(plots) == 2 and all(done and width > 100 and height > 100 for done, width, height in plots)

        browser.eval(CLICK.format(i=1))                       # model name: descending first
        assert browser.eval(COLUMN.format(i=1)) == ["mock/top", "mock/mid", "mock/low"]
        browser.eval(CLICK.format(i=1))                       # again: ascending
        assert browser.eval(COLUMN.format(i=1)) == ["mock/low", "mock/mid", "mock/top"]
        assert browser.eval("document.querySelectorAll('#leaderboard th')[1].getAttribute('aria-sort')") \
            == "ascending"
        browser.eval(CLICK.format(i=4))                       # lift, numerically by data-value
        lifts = browser.eval("Array.from(document.querySelectorAll('#leaderboard tbody tr'))"
                             ".map(r => parseFloat(r.cells[4].dataset.value))")
        assert lifts == sorted(lifts, reverse=True) and len(set(lifts)) == 3

        shot = browser.screenshot(tmp_path / "leaderboard.png")
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 10_000
