"""Regenerate the README's screenshots (docs/screenshots/*.png) from a running SIP Portal.

    make run                                   # in one terminal: the seeded demo site on :8000
    .venv/bin/python docs/screenshots.py       # in another; --base-url http://127.0.0.1:8001 for another port

Drives Chromium (CHROMIUM_PATH, default /usr/bin/chromium) through Playwright at 1366x768, signed in as the
demo accounts that `make run` creates (password DEMO_PASSWORD, default sip-portal-demo), and saves each
page as a 256-colour PNG, which keeps a screenshot of this flat UI to a fraction of its size.
"""

import argparse
import io
import os
from pathlib import Path

from PIL import Image
from playwright.sync_api import sync_playwright

OUT = Path(__file__).resolve().parent / "screenshots"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
EA_PLAN = "/plans/east-ayrshire-chcj-sip-2020-21"
MORAY_REPORT = "/plans/moray-loip-children-2021-22/reports/2021/q1"

# (file name, demo account, path, what to do before the picture, viewport width, full page)
SHOTS = [
    ("home", "board", "/", None, 1366, False),
    ("plan-actions", "ea-manager", f"{EA_PLAN}/actions/", None, 1366, False),
    ("plan-actions-phone", "ea-manager", f"{EA_PLAN}/actions/", None, 390, False),
    ("my-actions", "ea-manager", "/my-actions/", None, 1366, False),
    ("quarter-update", "ea-manager", "/my-actions/update/", None, 1366, False),
    ("update-dialog", "ea-manager", f"{EA_PLAN}/actions/", "open_update_dialog", 1366, False),
    ("action-timeline", "ea-manager", "/actions/1001/", None, 1366, False),
    ("dashboard", "board", "/partnerships/south-ayrshire-hscp/dashboard/", None, 1366, False),
    ("board-paper-pdf", "board", f"{MORAY_REPORT}/print/", None, 1366, False),
    ("risk-register", "board", "/partnerships/east-ayrshire-hscp/risks/", None, 1366, False),
    ("risk-heat-map", "board", "/partnerships/east-ayrshire-hscp/risks/heat-map/", None, 1366, False),
]


def open_update_dialog(page):
    page.locator("a[aria-label^='Update ']").first.click()
    page.get_by_role("dialog").wait_for(state="visible")
    page.wait_for_timeout(400)  # let the dialog's fade finish


def save_optimised(png_bytes, path):
    image = Image.open(io.BytesIO(png_bytes)).convert("RGB")
    image.quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(path, optimize=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    parser.add_argument("--password", default=os.environ.get("DEMO_PASSWORD", "sip-portal-demo"))
    parser.add_argument("only", nargs="*", help="file names to regenerate (default: all)")
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox"])
        for name, username, path, before, width, full_page in SHOTS:
            if args.only and name not in args.only:
                continue
            context = browser.new_context(base_url=args.base_url, viewport={"width": width, "height": 768})
            page = context.new_page()
            page.goto("/login/")
            page.get_by_label("Username").fill(username)
            page.get_by_label("Password").fill(args.password)
            page.get_by_role("button", name="Sign in").click()
            page.wait_for_url(lambda url: "/login/" not in url)
            page.goto(path, wait_until="networkidle")
            if before:
                globals()[before](page)
            save_optimised(page.screenshot(full_page=full_page), OUT / f"{name}.png")
            print(f"docs/screenshots/{name}.png")
            context.close()
        browser.close()


if __name__ == "__main__":
    main()
