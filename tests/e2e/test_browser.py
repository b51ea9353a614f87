"""The app in a real headless browser (Debian's chromium via Playwright).

A worker's question that needs one follow-up (the region), answered with a quick reply, ends in a
decision with its citation; a lookup shows the verbatim quote; the self-check tab decides from a
form; an HTML/script injection in a question stays text. Screenshots go to test-artifacts/;
the chat and self-check ones are copied to docs/screenshots/ for the README.
"""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from e2e.appserver import REPO, running_app

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
ARTIFACTS = REPO / "test-artifacts"
README_SHOTS = REPO / "docs" / "screenshots"
TIMEOUT_MS = 20_000
AS_OF = "2026-11-21"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is absent (apt-get install -y chromium)"),
]


def _has_cjk_font() -> bool:
    try:
        out = subprocess.run(["fc-list", ":lang=zh"], check=False, capture_output=True, text=True, timeout=10).stdout
    except (OSError, subprocess.SubprocessError):
        return False
    return bool(out.strip())


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def app_url(built_index, tmp_path_factory):
    with running_app(built_index, tmp_path_factory.mktemp("browser-logs")) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, app_url):
    context = browser.new_context(viewport={"width": 1360, "height": 1080}, locale="zh-CN")
    pg = context.new_page()
    pg.set_default_timeout(TIMEOUT_MS)
    pg.dialogs = []
    pg.on("dialog", lambda d: (pg.dialogs.append(d.message), d.dismiss()))
    pg.goto(app_url)
    pg.wait_for_selector("#gt-question textarea")
    # pin the policy date so the screenshots and the decision do not drift with the calendar
    pg.get_by_text("设置：按哪一天的政策状态判断").click()
    pg.fill("#gt-as-of input, #gt-as-of textarea", AS_OF)
    pg.get_by_text("设置：按哪一天的政策状态判断").click()
    yield pg
    context.close()


def _ask(page, text: str, bot_messages_before: int) -> None:
    page.fill("#gt-question textarea", text)
    page.click("#gt-send")
    page.wait_for_function(
        "n => document.querySelectorAll('#gt-chat .bot-row').length > n", arg=bot_messages_before)
    page.wait_for_timeout(300)


def _bot_rows(page) -> int:
    return page.locator("#gt-chat .bot-row").count()


def _shot(page, name: str, readme: bool = False, full_page: bool = True) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / name
    page.screenshot(path=str(path), full_page=full_page)  # full_page resizes: the chat re-scrolls to its end
    if readme:
        if _has_cjk_font():
            README_SHOTS.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, README_SHOTS / name)
        else:
            print(f"no CJK font installed (apt-get install -y fonts-noto-cjk): {name} not copied to docs/")
    return path


def test_follow_up_then_decision_then_lookup(page, app_url):
    from gradio_client import Client

    # 1. an eligibility question without the region → one follow-up with quick replies
    _ask(page, "我是技师，拿证4年了，能评中级职称吗？", 0)
    chat = page.locator("#gt-chat")
    assert "哪个地区" in chat.inner_text()
    page.locator("#gt-chat .option", has_text="上海").first.click()
    page.wait_for_function("() => document.querySelector('#gt-sources-panel').innerText.includes('沪人社专')")
    text = chat.inner_text()
    assert "结论" in text and "可以" in text
    sources = page.locator("#gt-sources-panel").inner_text()
    assert "沪人社专〔2021〕312号" in sources
    assert "可申报参评相关系列（专业）中级职称" in _squash(sources)
    facts = page.locator("#gt-facts-panel").inner_text()
    assert "地区：上海" in facts and "技师（二级）" in facts
    # a tall window: the chat grows with the viewport, so the whole conversation is in the picture
    page.set_viewport_size({"width": 1360, "height": 1480})
    page.evaluate("window.scrollTo(0, 0)")
    page.wait_for_timeout(500)
    _shot(page, "chat.png", readme=True, full_page=False)

    # 2. start again, then a lookup question: the verbatim quote is on the page
    page.click("#gt-reset")
    page.wait_for_function("() => document.querySelectorAll('#gt-chat .bot-row').length === 0")
    assert "还没有信息" in page.locator("#gt-facts-panel").inner_text()
    lookup = "沪人社专〔2021〕312号对破格申报是怎么规定的？"
    expected = Client(app_url, verbose=False).predict(lookup, AS_OF, api_name="/ask")
    assert expected["citations"], expected
    _ask(page, lookup, 0)
    quote = expected["citations"][0]["quote"]
    page.wait_for_function("() => document.querySelector('#gt-sources-panel').innerText.length > 40")
    assert _squash(quote) in _squash(page.locator("#gt-sources-panel").inner_text())
    assert expected["citations"][0]["doc"] in page.locator("#gt-sources-panel").inner_text()
    _shot(page, "chat-lookup.png")

    # 3. a question carrying markup is shown as text and runs nothing
    payload = "<img src=x onerror=alert(1)><script>alert(2)</script>技师能评职称吗"
    _ask(page, payload, _bot_rows(page))
    assert page.dialogs == []
    assert page.locator("#gt-chat img[src='x']").count() == 0
    assert "<img src=x onerror=alert(1)>" in page.locator("#gt-chat .user-row").last.inner_text()


def test_self_check_tab(page):
    page.get_by_role("tab", name="资格自测").click()
    page.get_by_label("上海市").check()
    for elem_id, option in [("sc-credential", "技能等级 · 技师（二级）"), ("sc-year", "2021年"), ("sc-month", "6月")]:
        page.click(f"#{elem_id} input")
        page.get_by_role("option", name=option, exact=True).click()
    page.get_by_label("合格", exact=True).check()
    page.click("#sc-run")
    page.wait_for_function("() => document.querySelector('#sc-verdict').innerText.includes('申报')")
    verdict = page.locator("#sc-verdict").inner_text()
    assert "✅" in verdict and "中级职称" in verdict
    assert "条件核对" in verdict and "近3年年度考核合格" in verdict
    assert "沪人社专〔2021〕312号" in page.locator("#sc-sources").inner_text()
    _shot(page, "self-check.png", readme=True)

    page.get_by_role("tab", name="政策文件").click()
    page.wait_for_selector("#doc-view .gt-clause")
    assert "川人社办发〔2021〕61号" in page.locator("#doc-view").inner_text()
    _shot(page, "documents.png", full_page=False)
