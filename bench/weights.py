"""--weights: what a reader's browser downloads for each page, in Chromium (playwright) against
the head's gunicorn (compression on), with a cold cache per page: the bytes transferred by every
request of the page (encoded bodies and headers, CDP's Network.loadingFinished), the number of
requests, and the answers of 400 and above (a missing favicon is one)."""

from .common import ENTRY_QUARTER, ENTRY_YEAR, YEAR

BUDGET_KB = 170  # a page without a chart
CHART_BUDGET_KB = 300  # a page with a <canvas>
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def page_urls(scenario):
    """(key, label, path, user or None) of every page weighed; run where Django is set up."""
    from tracker.models import IndicatorValue

    base = f"/plans/{scenario.plan.slug}"
    urls = [
        ("landing", "Landing page (anonymous)", "/", None),
        ("login", "Sign-in page", "/accounts/login/", None),
        ("inbox", "Inbox (signed in)", "/", "bench-secretariat"),
    ]
    for page in scenario.pages():
        if page.html:
            user = next(n for n, c in scenario.clients.items() if c is page.client)
            urls.append((page.key, page.label, page.url, user))
    value = (
        IndicatorValue.objects.filter(
            indicator__plan=scenario.plan, status=IndicatorValue.Status.SUBMITTED
        )
        .order_by("pk")
        .first()
    )
    urls += [
        ("periods", "Reporting periods", f"{base}/periods/", "bench-secretariat"),
        ("completeness", "Completeness", f"{base}/completeness/", "bench-secretariat"),
        ("meetings", f"Meetings of {ENTRY_YEAR}-Q{ENTRY_QUARTER}",
         f"{base}/periods/{ENTRY_YEAR}-Q{ENTRY_QUARTER}/meetings/", "bench-secretariat"),
        ("report_published", f"Annual report {YEAR} (latest version)",
         f"{base}/reports/{YEAR}/", "bench-staff"),
        ("api_docs", "API documentation", "/api/docs/", "bench-secretariat"),
    ]  # fmt: skip
    if value:
        urls.append(
            ("review", "A value's review page", f"{base}/values/{value.pk}/", "bench-secretariat")
        )
    return urls


def verdict(kilobytes, has_chart):
    budget = CHART_BUDGET_KB if has_chart else BUDGET_KB
    return budget, kilobytes <= budget


def weigh(server, urls, cookies):
    """Each page's weight in a fresh browser context (a cold cache)."""
    from playwright.sync_api import sync_playwright

    results = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for key, label, path, user in urls:
                found = weigh_one(browser, server.url(path), cookies.get(user))
                results[key] = {"label": label, "path": path, "user": user, **found}
                print(f"{label}: {found['kb']} KB in {found['requests']} requests", flush=True)
        finally:
            browser.close()
    return results


def weigh_one(browser, url, cookie):
    context = browser.new_context()
    if cookie:
        name, value = cookie.split("=", 1)
        context.add_cookies([{"name": name, "value": value, "url": url}])
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    statuses, sizes = {}, {}
    cdp.on("Network.responseReceived", lambda e: statuses.update(
        {e["requestId"]: (e["response"]["status"], e["response"]["url"])}))  # fmt: skip
    cdp.on("Network.loadingFinished", lambda e: sizes.update(
        {e["requestId"]: e["encodedDataLength"]}))  # fmt: skip
    cdp.on("Network.loadingFailed", lambda e: sizes.setdefault(e["requestId"], 0))
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    response = page.goto(url, wait_until="networkidle")
    has_chart = page.locator("canvas").count() > 0
    status = response.status if response else None
    context.close()
    kilobytes = round(sum(sizes.values()) / 1000, 1)
    budget, within = verdict(kilobytes, has_chart)
    return {
        "status": status,
        "kb": kilobytes,
        "requests": len(sizes),
        "chart": has_chart,
        "budget_kb": budget,
        "within": within,
        "errors": sorted(f"{code} {where}" for code, where in statuses.values() if code >= 400),
    }
