"""Take the screenshot in docs/: the what-if page of `planner serve` after one click.

    python tools/screenshot.py        (needs planner[web], selenium, Debian's chromium)

It starts `planner serve` on a free port, avoids one elective by clicking, and saves
docs/plan-page.png.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "planner", "serve", "--port", str(port)])
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1280,1500",
                "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run"):  # fmt: skip
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/api/health")
                break
            except OSError:
                time.sleep(0.1)
        driver.get(f"http://127.0.0.1:{port}/")

        def settled(d: webdriver.Chrome) -> bool:
            return bool(
                d.execute_script(
                    "return !document.body.dataset.busy && !!document.querySelector('#plan .plan')"
                )
            )

        WebDriverWait(driver, 60).until(settled)
        courses = driver.find_elements(By.CSS_SELECTOR, "#plan li.course[data-status=planned]")
        elective = next(li for li in courses if "Elective" in li.text)
        code = elective.get_attribute("data-code")
        elective.find_element(By.CSS_SELECTOR, "button.avoid").click()
        WebDriverWait(driver, 60).until(
            lambda d: settled(d) and not d.find_elements(By.CSS_SELECTOR, f'li[data-code="{code}"]')
        )
        target = ROOT / "docs" / "plan-page.png"
        driver.save_screenshot(str(target))
        print(f"{target.relative_to(ROOT)}: the page after avoiding {code}")
    finally:
        driver.quit()
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
