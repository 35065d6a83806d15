"""index.html in a real headless Chromium: tables sort, the heatmap and failure bars show the known numbers, a
sample's drill-down shows its prompt, code, tier table with budgets and growth fit, and a hostile answer stays
text. At a phone's width nothing but the scrolling tables is wider than the screen."""

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
HOSTILE = "x = '</script><script>window.pwned = 1</script><img src=x onerror=\"window.pwned = 2\">'\n"
FAILURES = {"feeds/home_feed": "over_memory", "sync/crm_sync": "rate_limited", "search/typeahead": "query_cap"}
SPLITS = {"sync/crm_sync": "hard", "filters/price_range": "hard"}


def texts(browser: Browser, selector: str) -> list[str]:
    return browser.eval(f"Array.from(document.querySelectorAll({selector!r})).map(e => e.textContent)")


@pytest.fixture(scope="module")
def page(tmp_path_factory) -> Path:
    """Three models with clearly different blueprint gains, failures of several kinds, two splits, an efficiency
    score, one priced model, and one answer written to break out of the page."""
    root = tmp_path_factory.mktemp("page")
    logs = root / "logs"
    logs.mkdir()
    for name, strength in (("mid", 1), ("top", 2), ("low", 0)):
        log = build_log(f"mock/{name}", standard_outcomes(strength), epochs=4, failures=FAILURES, splits=SPLITS,
                        efficiency=True, usd_per_token=0.00001 if name == "top" else None)
        if name == "low":
            log.samples[0].scores["scale_correctness"].answer = HOSTILE
        write_log(log, logs, name)
    write_leaderboard(load_results([logs]), root / "out", n_boot=300)
    return root / "out" / "index.html"


def test_page_renders_and_sorts(page: Path):
    with Browser(1100, 900) as browser:
        browser.open(page)
        assert browser.eval(COLUMN.format(i=1)) == ["mock/top", "mock/mid", "mock/low"]
        headers = texts(browser, "#leaderboard th")
        assert headers[:5] == ["rank", "model", "blueprint", "vague", "lift"]
        assert "efficiency (blueprint)" in headers                      # present because the logs score it
        glossary = dict(zip(texts(browser, "#ranking-glossary dt"), texts(browser, "#ranking-glossary dd")))
        assert glossary["lift"] == "blueprint minus vague, paired within task [95% CI]"
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
        for table in ("usage", "samples", "provenance"):     # every table sorts the same way
            browser.eval(f"document.querySelector('#{table} th').click()")
            assert browser.eval(f"document.querySelector('#{table} th').getAttribute('aria-sort')") == "descending"
        usage = browser.eval("Array.from(document.querySelectorAll('#usage tbody tr')).map(r => r.cells[5].textContent)")
        assert sorted(usage)[0].startswith("$") and usage.count("\u2013") == 2    # only mock/top has a price


def test_heatmap_per_split_with_its_metrics(page: Path):
    with Browser(1100, 900) as browser:
        browser.open(page)
        assert texts(browser, "#heat h3") == ["core split: 4 task(s), scale-correct rate, all variants",
                                              "hard split: 2 task(s), scale-correct rate, all variants"]
        cell = ("Array.from(document.querySelectorAll('#heat-hard tbody tr')).find(r => r.cells[0].textContent == "
                "'mock/top').cells[{i}]")
        tasks = texts(browser, "#heat-hard th.task")
        assert tasks == ["filters/price_range", "sync/crm_sync"]
        # mock/top on sync/crm_sync (task index 4): vague 0/4 and 1/4 (t=1.0), blueprint 4/4, ablations 3,1,1,1,1,1,
        # role_only 0, design 0 of 4 each -> 13 of 44 answers
        assert browser.eval(cell.format(i=2) + ".textContent") == f"{round(13 / 44 * 100)}%"
        browser.eval("const v = document.getElementById('variant'); v.value = 'blueprint';"
                     "v.dispatchEvent(new Event('change'))")
        assert browser.eval(cell.format(i=2) + ".textContent") == "100%"
        browser.eval("const m = document.getElementById('metric'); m.value = 'efficiency';"
                     "m.dispatchEvent(new Event('change'))")
        assert browser.eval(cell.format(i=2) + ".textContent") == "1.00"
        browser.eval("const s = document.getElementById('split'); s.value = 'hard'; s.dispatchEvent(new Event('change'))")
        assert texts(browser, "#heat h3") == ["hard split: 2 task(s), efficiency score, variant blueprint"]
        tasks_column = texts(browser, "#leaderboard th").index("tasks")
        assert browser.eval(f"document.querySelectorAll('#leaderboard tbody tr')[0].cells[{tasks_column}]"
                            ".textContent") == "2"                  # the hard split's own leaderboard

        browser.eval(cell.format(i=2) + ".click()")            # a cell filters the answers to that model and task
        rows = browser.eval("Array.from(document.querySelectorAll('#samples tbody tr'))"
                            ".map(r => [r.cells[0].textContent, r.cells[1].textContent, r.cells[3].textContent])")
        assert rows == [["mock/top", "sync/crm_sync", "blueprint"]] * 4
        assert browser.eval("document.getElementById('count').textContent").startswith("4 of ")


def test_failure_bars_count_each_reason(page: Path):
    with Browser(1100, 900) as browser:
        browser.open(page)
        names = texts(browser, "#bars .bar-row .name")
        assert "mock/low \u00b7 role_only" in names and len(names) == 3 * 11     # 3 models x 11 variant labels
        assert "mock/low \u00b7 vague@t=1" in names
        segments = browser.eval(
            "Object.fromEntries(Array.from(Array.from(document.querySelectorAll('#bars .bar-row'))"
            ".find(r => r.querySelector('.name').textContent == 'mock/low \u00b7 role_only')"
            ".querySelectorAll('.bar span')).map(s => [s.dataset.outcome, s.title]))")
        # role_only: 0 of 4 scale-correct on every task; 6 tasks x 4 epochs = 24 answers
        assert segments == {"over_latency": "over latency: 12 of 24 (50%)", "query_cap": "query cap: 4 of 24 (17%)",
                            "rate_limited": "rate limited: 4 of 24 (17%)", "over_memory": "over memory: 4 of 24 (17%)"}
        assert set(texts(browser, "#legend span")) >= {"scale correct", "over latency", "over memory", "rate limited",
                                                       "query cap"}
        reasons = dict(zip(texts(browser, "#reasons dt"), texts(browser, "#reasons dd")))
        assert reasons["over memory"] == "peak memory over budget" and len(reasons) == 12   # every reason, explained


def test_drill_down_shows_prompt_code_tiers_and_growth(page: Path, tmp_path: Path):
    with Browser(1100, 900) as browser:
        browser.open(page)
        assert browser.eval("document.getElementById('sample').hidden")
        browser.eval("document.getElementById('filter').value = 'mock/mid home_feed vague';"
                     "document.getElementById('filter').dispatchEvent(new Event('input'))")
        rows = browser.eval("Array.from(document.querySelectorAll('#samples tbody tr')).map(r => r.cells[2].textContent)")
        assert rows and set(rows) == {"core"}
        browser.eval("Array.from(document.querySelectorAll('#samples tbody tr'))"
                     ".find(r => r.cells[3].textContent == 'vague' && r.cells[4].textContent == '4').click()")
        assert not browser.eval("document.getElementById('sample').hidden")
        assert browser.eval("document.getElementById('sample-title').textContent") == "mock/mid \u2014 feeds/home_feed"
        assert browser.eval("document.getElementById('sample-verdict').textContent").startswith(
            "NOT scale-correct: over memory at launch")
        facts = dict(zip(texts(browser, "#sample-facts dt"), texts(browser, "#sample-facts dd")))
        assert facts["prompt variant"] == "vague \u2014 no blueprint ingredient" and facts["epoch"] == "4"
        assert facts["tokens"] == "100 in, 44 out" and facts["efficiency score"] == "0.25"
        assert facts["cost"] == "unknown (inspect has no price for this model)"
        assert texts(browser, "#tiers th")[:4] == ["tier", "size", "result", "p95 latency / budget"]
        tiers = browser.eval("Array.from(document.querySelectorAll('#tiers tbody tr'))"
                             ".map(r => Array.from(r.cells).map(c => c.textContent))")
        assert [t[:3] for t in tiers] == [["demo", "30", "pass"], ["launch", "2,000", "over memory"]]
        assert tiers[1][3] == "25 ms / 200 ms (8.0x headroom)" and tiers[1][5] == "21 MB / 256 MB (12x headroom)"
        assert texts(browser, "#tiers th")[-2:] == ["efficiency", "over the reference"]
        assert [t[-2:] for t in tiers] == [["0.75", "api_calls 3.0x"], ["0.00", "\u2013"]]
        assert "launch: over_memory at launch" in texts(browser, "#tier-notes p")
        assert browser.eval("document.querySelectorAll('#growth svg circle').length") == 2
        assert browser.eval("document.querySelector('#growth .caption').textContent").startswith(
            "Mean latency per request grows like n^1.00 (O(n)), fitted on the 2 tiers that ran")
        assert browser.eval("document.getElementById('code').textContent") == \
            "def answer():  # feeds/home_feed vague epoch 4\n    return 0\n"
        assert browser.eval("document.getElementById('prompt').textContent") == "Implement feeds/home_feed (vague)."
        assert browser.eval("location.hash").startswith("#sample-")
        shot = browser.screenshot(tmp_path / "drill-down.png")
        browser.eval("document.getElementById('close').click()")
        assert browser.eval("document.getElementById('sample').hidden")
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 10_000


def test_a_hostile_answer_is_shown_as_text(page: Path):
    with Browser(1100, 900) as browser:
        browser.open(page)
        index = browser.eval("window.scaleblindPage.data.samples.findIndex(s => s.model === 'mock/low' && "
                             "window.scaleblindPage.data.texts[s.code].includes('pwned'))")
        browser.eval(f"window.scaleblindPage.openSample({index})")
        assert browser.eval("document.getElementById('code').textContent") == HOSTILE
        assert browser.eval("typeof window.pwned") == "undefined"
        assert browser.eval("document.querySelectorAll('#sample img, #sample script').length") == 0


def test_phone_width_has_no_sideways_page(page: Path, tmp_path: Path):
    with Browser(390, 844, mobile=True) as browser:
        browser.open(page)
        wide = browser.eval("Array.from(document.querySelectorAll('body *')).filter(e => !e.closest('.scroll') && "
                            "e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)"
                            ".map(e => e.tagName + '#' + e.id + '.' + e.className)")
        assert wide == []
        assert browser.eval("document.documentElement.scrollWidth <= window.innerWidth")
        browser.eval("window.scaleblindPage.openSample(0)")
        assert browser.eval("document.getElementById('sample').getBoundingClientRect().width <= window.innerWidth")
        shot = browser.screenshot(tmp_path / "phone.png")
    assert shot.stat().st_size > 10_000
