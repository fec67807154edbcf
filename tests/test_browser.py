"""The pages in a real browser: headless Chromium (Debian's `chromium` and
`chromium-driver`, which .ci/run installs when missing) driven by Selenium.

`planner serve` runs in its own process; the test clicks "avoid" on a planned course and
waits for the page to show a new plan without it. The static report of
`planner plan --format html` is opened from a file and its DOM checked against the plan.

Without Chromium the tests skip, unless PLANNER_BROWSER_TESTS=required (set by .ci/run),
where a missing browser is a failure.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from serving import post, serving

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
DRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"


def _browser_or_skip() -> None:
    missing = [p for p in (CHROMIUM, DRIVER) if not Path(p).exists()]
    if missing:
        if os.environ.get("PLANNER_BROWSER_TESTS") == "required":
            pytest.fail(f"browser tests are required but {', '.join(missing)} is missing")
        pytest.skip("no chromium/chromedriver (apt install chromium chromium-driver)")


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    _browser_or_skip()
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    profile = tmp_path_factory.mktemp("chromium-profile")
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--window-size=1280,1000",
        f"--user-data-dir={profile}",
    ):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture(scope="module")
def server() -> Iterator[int]:
    with serving() as port:
        yield port


def planned_codes(driver: Any) -> list[str]:
    from selenium.webdriver.common.by import By

    cells = driver.find_elements(By.CSS_SELECTOR, "#plan li.course[data-status=planned]")
    return [c.get_attribute("data-code") for c in cells]


def settled(driver: Any) -> bool:
    """The page has answered: no request in flight, and a plan (or its conflict) shown."""
    return bool(
        driver.execute_script(
            "return !document.body.dataset.busy && !!document.querySelector('#plan .plan');"
        )
    )


def test_clicking_avoid_on_a_course_shows_a_plan_without_it(browser: Any, server: int) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(f"http://127.0.0.1:{server}/")
    WebDriverWait(browser, 60).until(settled)
    before = planned_codes(browser)
    assert before, "the page shows no planned course"
    # Avoid an elective (a course whose avoidance still leaves a plan).
    target = next(
        li
        for li in browser.find_elements(By.CSS_SELECTOR, "#plan li.course[data-status=planned]")
        if "Elective" in li.text
    )
    code = target.get_attribute("data-code")
    target.find_element(By.CSS_SELECTOR, "button.avoid").click()
    WebDriverWait(browser, 60).until(lambda d: settled(d) and code not in planned_codes(d))
    after = planned_codes(browser)
    assert after and code not in after
    status = browser.find_element(By.CSS_SELECTOR, "#plan .plan").get_attribute("data-status")
    assert status == "optimal"
    assert f"avoid: {code}" in browser.find_element(By.ID, "whatifs").text
    # The page's plan is the API's plan for the same what-if.
    _, answer = post(server, "/api/plan", {"avoid": [code]})
    expected = [
        c["code"] for t in answer["terms"] if t["status"] == "planned" for c in t["courses"]
    ]
    assert sorted(after) == sorted(expected)


def test_the_static_report_renders_the_plan(browser: Any, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    page = tmp_path / "plan.html"
    data = tmp_path / "plan.json"
    for fmt, path in (("html", page), ("json", data)):
        run = subprocess.run(
            [sys.executable, "-m", "planner", "plan", "--format", fmt, "--output", str(path)],
            capture_output=True,
            text=True,
        )
        assert run.returncode == 0, run.stderr
    plan = json.loads(data.read_text())
    browser.get(page.as_uri())
    shown = [
        li.get_attribute("data-code")
        for li in browser.find_elements(By.CSS_SELECTOR, "li.course")
        if li.is_displayed()
    ]
    expected = [c["code"] for t in plan["terms"] for c in t["courses"]]
    assert shown == expected
    terms = browser.find_elements(By.CSS_SELECTOR, "section.term h3")
    assert len(terms) == len(plan["terms"])
    assert all(t.is_displayed() and t.size["height"] > 0 for t in terms)
    body = browser.find_element(By.TAG_NAME, "body").text
    assert "requirements met" in body
    shot = tmp_path / "plan.png"
    assert browser.save_screenshot(str(shot))
    assert shot.stat().st_size > 10_000  # a page with content, not a blank one


def test_a_deadline_without_a_plan_then_one_click_on_a_repair(browser: Any, server: int) -> None:
    """Typing a deadline no plan meets shows the conflict and its repairs; clicking
    "apply" on one replans, and the page shows a plan."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(f"http://127.0.0.1:{server}/")
    WebDriverWait(browser, 60).until(settled)
    browser.find_element(By.ID, "deadline").send_keys("S27")
    browser.find_element(By.ID, "set-deadline").click()

    def status(d: Any) -> str:
        return str(d.find_element(By.CSS_SELECTOR, "#plan .plan").get_attribute("data-status"))

    WebDriverWait(browser, 60).until(lambda d: settled(d) and status(d) == "infeasible")
    assert "Why there is no plan" in browser.find_element(By.ID, "plan").text
    repair = browser.find_element(By.CSS_SELECTOR, "#plan .repair")
    flags = repair.get_attribute("data-flags")
    repair.find_element(By.CSS_SELECTOR, "button.apply").click()
    WebDriverWait(browser, 60).until(lambda d: settled(d) and status(d) == "optimal")
    assert planned_codes(browser)
    now = browser.find_element(By.ID, "whatifs").text
    assert flags and now, (flags, now)
