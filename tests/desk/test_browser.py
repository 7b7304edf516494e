"""The preview in headless Chromium: pages appear, an edit shows without a reload, a click names
the source line, a broken edit keeps the pages and shows the error, and the console stays clean."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ..conftest import CHROMIUM_ARGS, write_bulletin
from .conftest import running_server

WAIT_MS = 60_000  # a rebuild takes a second or two; the suite may share the machine


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory):
    root = write_bulletin(tmp_path_factory.mktemp("browser") / "b")
    # A longer first article: a page under 60 % full for the layout report to list.
    article = root / "articles" / "01-mot.md"
    more = "\n\n".join(["Một đoạn văn dài thêm vào để bài dài hơn một trang. " * 8] * 6)
    article.write_text(article.read_text(encoding="utf-8") + "\n" + more + "\n", encoding="utf-8")
    yield from running_server(root)


@pytest.fixture(scope="module")
def browser_page(served):
    chromium = shutil.which("chromium")
    if chromium is None:
        pytest.fail("the preview's browser test needs Chromium: apt-get install chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        page = context.new_page()
        problems: list[str] = []
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: problems.append(str(e)))
        page.on(
            "response",
            lambda r: problems.append(f"{r.status} {r.url}") if r.status >= 400 else None,
        )
        page.goto(served.url + "/")
        page.wait_for_function(
            """() => { const imgs = [...document.querySelectorAll('.page img')];
                 return imgs.length > 3 && imgs.every(i => i.complete && i.naturalWidth > 0); }""",
            timeout=WAIT_MS,
        )
        page.evaluate("window.__sameDocument = true")
        yield page, problems
        context.close()
        browser.close()


def _page_of(page, source: str) -> int:
    return page.evaluate(
        """(source) => window.__exporter.state.pages.find(
               p => p.regions.some(r => r.source === source)).number""",
        source,
    )


def test_pages_appear_as_spreads(browser_page) -> None:
    page, _ = browser_page
    numbers = page.eval_on_selector_all(".page", "els => els.map(e => +e.dataset.number)")
    assert numbers == list(range(1, len(numbers) + 1))
    # Page 1 alone on the right, then left-right pairs, as a printed issue opens.
    spreads = page.eval_on_selector_all(
        ".spread", "els => els.map(s => [...s.children].map(c => +c.dataset.number))"
    )
    assert spreads[0] == [1] and spreads[1] == [2, 3]
    assert page.get_attribute(".page[data-number='1']", "class").split()[-1] == "right"


def test_an_edit_shows_up_without_a_reload(browser_page, served) -> None:
    page, _ = browser_page
    source = "articles/02-hai.md:16"
    number = _page_of(page, source)
    before = page.evaluate(f"window.__exporter.loads[{number}].token")
    article = Path(served.root) / "articles" / "02-hai.md"
    article.write_text(
        article.read_text(encoding="utf-8").replace("ghi nhận", "biểu dương"), encoding="utf-8"
    )
    page.wait_for_function(
        f"() => window.__exporter.loads[{number}] && "
        f"window.__exporter.loads[{number}].token !== {before!r}",
        timeout=WAIT_MS,
    )
    assert page.evaluate("window.__sameDocument") is True  # no reload happened
    # The page with the edit came first; the rest of its section follows.
    page.wait_for_function("() => !window.__exporter.state.building", timeout=WAIT_MS)


def _click_middle(page, source: str) -> None:
    """Click where an editor would: the middle of the paragraph or headline on the page."""
    region = page.locator(f".region[data-source='{source}']").last
    region.evaluate("e => e.scrollIntoView({block: 'center'})")
    box = region.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)


def test_click_to_source(browser_page) -> None:
    page, _ = browser_page
    for source in ("articles/01-mot.md:14", "articles/03-ba.md:2", "articles/02-hai.md:7"):
        _click_middle(page, source)
        assert page.text_content("#source-path") == source
        assert page.evaluate("window.__exporter.lastSource") == source


def test_a_broken_edit_keeps_the_pages_and_shows_why(browser_page, served) -> None:
    page, _ = browser_page
    tokens = page.evaluate("window.__exporter.state.pages.map(p => p.token)")
    toml = Path(served.root) / "bulletin.toml"
    good = toml.read_text(encoding="utf-8")
    toml.write_text(good.replace("issue = 47", "issue = bốn"), encoding="utf-8")
    page.wait_for_selector("#error:not([hidden])", timeout=WAIT_MS)
    assert "bulletin.toml" in page.text_content("#error-list")
    assert page.evaluate("window.__exporter.state.pages.map(p => p.token)") == tokens
    assert page.locator(".page img").count() == len(tokens)
    toml.write_text(good, encoding="utf-8")
    page.wait_for_selector("#error", state="hidden", timeout=WAIT_MS)


def test_ebook_chapters_at_phone_width(browser_page) -> None:
    page, _ = browser_page
    page.click("#tab-ebook")
    frame = page.frame_locator("#reader")
    frame.locator("body").wait_for(timeout=WAIT_MS)
    assert page.eval_on_selector("#reader", "e => e.getBoundingClientRect().width") <= 400
    page.select_option("#chapter", index=2)
    frame.locator("h1, h2").first.wait_for(timeout=WAIT_MS)
    page.click("#tab-print")


def test_problems_are_listed(browser_page) -> None:
    page, _ = browser_page
    page.click("#tab-problems")
    count = int(page.text_content("#problem-count"))
    assert page.locator("#problem-rows tr").count() == count
    assert page.locator("#problem-rows td.level-layout").count() >= 1  # the layout report
    assert "%" in page.text_content(".page[data-number='1'] figcaption")
    page.click("#tab-print")


def test_the_console_stays_clean(browser_page) -> None:
    _, problems = browser_page
    assert problems == []
