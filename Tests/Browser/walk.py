#!/usr/bin/env python3
"""Walks the running demo in headless Chromium: sign in, home page, calculator, policy, sign out.

Talks to Chromium over its DevTools pipe (--remote-debugging-pipe: JSON messages ended by
NUL on file descriptors 3 and 4), so it needs nothing beyond Python's standard library and
Debian's chromium package. Saves screenshots at phone and desktop widths.

    walk.py --out DIR --walk phone URL USER PASSWORD --walk desktop URL USER PASSWORD \
        [--dashboard phone URL USER PASSWORD ...]

`--dashboard` walks the dashboard (辖区救助概况) of the node at URL as an operator who may see
it: its charts and tables, one level down, the CSV export, and a division outside the node.

Exits 0 when every step saw what it expected; otherwise prints the failed step and exits 1.
"""
import argparse
import base64
import json
import os
import shutil
import subprocess
import sys
import tempfile
import struct
import time
import zlib

VIEWPORTS = {
    "phone": {"width": 390, "height": 844, "deviceScaleFactor": 2, "mobile": True},
    "desktop": {"width": 1280, "height": 800, "deviceScaleFactor": 1, "mobile": False},
}


class WalkFailed(Exception):
    pass


class Chromium:
    """One headless Chromium, driven over the DevTools pipe."""

    def __init__(self, executable, profile):
        to_browser_read, self._to_browser = os.pipe()
        self._from_browser, from_browser_write = os.pipe()

        def wire_pipes():
            # Copy first: either pipe end may already sit on 3 or 4. os.dup2 makes the
            # targets inheritable, so they survive the exec.
            read_end, write_end = os.dup(to_browser_read), os.dup(from_browser_write)
            os.dup2(read_end, 3)
            os.dup2(write_end, 4)

        self.process = subprocess.Popen(
            [
                executable, "--headless=new", "--remote-debugging-pipe", "--no-sandbox", "--disable-gpu",
                "--no-first-run", "--no-default-browser-check", "--disable-extensions",
                # The demo's certificates come from its own cluster CA, which this profile does not trust.
                "--ignore-certificate-errors", f"--user-data-dir={profile}", "about:blank",
            ],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, close_fds=False, preexec_fn=wire_pipes,
        )
        os.close(to_browser_read)
        os.close(from_browser_write)
        self._buffer = b""
        self._next_id = 0
        self._events = []

    def close(self):
        try:
            self.send("Browser.close")
        except Exception:
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def _read_message(self, deadline):
        while b"\0" not in self._buffer:
            if time.monotonic() > deadline:
                raise WalkFailed("Chromium 没有在时限内应答")
            chunk = os.read(self._from_browser, 1 << 16)
            if not chunk:
                raise WalkFailed("Chromium 已退出")
            self._buffer += chunk
        message, _, self._buffer = self._buffer.partition(b"\0")
        return json.loads(message)

    def send(self, method, params=None, session=None, timeout=30):
        self._next_id += 1
        request = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            request["sessionId"] = session
        os.write(self._to_browser, json.dumps(request).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            message = self._read_message(deadline)
            if message.get("id") == self._next_id:
                if "error" in message:
                    raise WalkFailed(f"{method}: {message['error']}")
                return message.get("result", {})
            self._events.append(message)

    def wait_for_event(self, method, session, timeout=30):
        deadline = time.monotonic() + timeout
        while True:
            for index, event in enumerate(self._events):
                if event.get("method") == method and event.get("sessionId") == session:
                    del self._events[index]
                    return event
            self._events.append(self._read_message(deadline))


class Tab:
    def __init__(self, browser, viewport):
        self.browser = browser
        target = browser.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.session = browser.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        self.send("Page.enable")
        self.send("Emulation.setDeviceMetricsOverride", viewport)

    def send(self, method, params=None):
        return self.browser.send(method, params, session=self.session)

    def navigate(self, url):
        self.browser._events.clear()
        self.send("Page.navigate", {"url": url})
        self.browser.wait_for_event("Page.loadEventFired", self.session)

    def evaluate(self, expression, wait=False):
        """The value of `expression`; with `wait`, of the promise it gives."""
        result = self.send(
            "Runtime.evaluate", {"expression": expression, "returnByValue": True, "awaitPromise": wait})
        if "exceptionDetails" in result:
            raise WalkFailed(f"脚本出错：{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def submit(self, expression):
        """Runs `expression` (which submits a form) and waits for the next page to load."""
        self.browser._events.clear()
        self.evaluate(expression)
        self.browser.wait_for_event("Page.loadEventFired", self.session)

    def screenshot(self, path):
        data = self.send("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True})["data"]
        with open(path, "wb") as file:
            file.write(base64.b64decode(data))
        print(f"截图 {path}")


def tiny_png(path):
    """Writes a 4 × 4 red PNG: a real image for the phone's photo upload."""
    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)
    rows = b"".join(b"\0" + b"\xff\x00\x00" * 4 for _ in range(4))
    png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 4, 4, 8, 2, 0, 0, 0))
           + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))
    with open(path, "wb") as file:
        file.write(png)
    return path


def citizen_id(body17):
    """Completes 17 digits with the GB 11643 check character."""
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    total = sum(int(d) * w for d, w in zip(body17, weights))
    return body17 + "10X98765432"[total % 11]


def expect(condition, step):
    if not condition:
        raise WalkFailed(step)
    print(f"通过：{step}")


def sign_in_form(username, password):
    """The script that fills the sign-in form and sends it."""
    return (
        f"document.getElementById('username').value = {json.dumps(username)};"
        f"document.getElementById('password').value = {json.dumps(password)};"
        "document.getElementById('sign-in').click();"
    )


def walk(browser, name, base, username, password, out):
    tab = Tab(browser, VIEWPORTS[name])
    base = base.rstrip("/")
    tab.navigate(base + "/")
    expect(tab.evaluate("location.pathname") == "/login", f"[{name}] 未登录访问首页被带到登录页")
    tab.screenshot(os.path.join(out, f"{name}-login.png"))

    fill = (
        f"document.getElementById('username').value = {json.dumps(username)};"
        "document.getElementById('password').value = {password};"
        "document.getElementById('sign-in').click();"
    )
    tab.submit(fill.replace("{password}", json.dumps(password + "-错的")))
    message = tab.evaluate("(document.getElementById('login-message') || {}).textContent || ''")
    expect("用户名或密码错误" in message, f"[{name}] 密码错误时显示“用户名或密码错误”")

    tab.submit(fill.replace("{password}", json.dumps(password)))
    expect(tab.evaluate("location.pathname") == "/", f"[{name}] 登录后到达首页")
    greeting = tab.evaluate("document.getElementById('home-greeting').textContent")
    expect("您好" in greeting, f"[{name}] 首页问候：{greeting}")
    operator = tab.evaluate("document.getElementById('operator-name').textContent")
    expect(operator != "", f"[{name}] 页眉显示操作员：{operator}")
    overflow = tab.evaluate("document.documentElement.scrollWidth > window.innerWidth")
    expect(not overflow, f"[{name}] 页面没有横向溢出")
    tab.screenshot(os.path.join(out, f"{name}-home.png"))

    tab.navigate(base + "/node")
    expect(tab.evaluate("document.querySelector('h1').textContent") == "节点状态", f"[{name}] 节点状态页")
    tab.screenshot(os.path.join(out, f"{name}-node.png"))

    if name == "phone":
        # The village specialist registers a household and finds it.
        tab.navigate(base + "/households/new")
        tab.submit(
            "document.getElementById('address').value = '测试村 1 组';"
            "document.getElementById('m0-name').value = '赵大爷';"
            f"document.getElementById('m0-id').value = '{citizen_id('32128119480101031')}';"
            "document.querySelector('input[name=\"m0.unableToWork\"]').checked = true;"
            "document.getElementById('save-household').click();"
        )
        household = tab.evaluate("(document.getElementById('household-id') || {}).textContent || ''")
        expect(household.endswith("-000001"), f"[{name}] 登记家庭后显示户编号 {household}")
        tab.screenshot(os.path.join(out, f"{name}-household.png"))
        tab.navigate(base + "/search")
        found = tab.evaluate("document.getElementById('search-total').textContent")
        listed = tab.evaluate(f"document.body.textContent.includes({json.dumps(household)})")
        expect(listed, f"[{name}] 检索到新登记的家庭（{found}）")
        tab.screenshot(os.path.join(out, f"{name}-search.png"))

        # An application for that household: accepted, the signed papers photographed on the
        # phone and uploaded, the home investigation recorded.
        tab.navigate(base + "/cases/new")
        tab.submit(
            "document.getElementById('applicant-name').value = '赵大爷';"
            f"document.getElementById('applicant-id').value = '{citizen_id('32128119480101031')}';"
            "document.getElementById('applicant-situation').value = '独居，无收入';"
            "document.getElementById('submit-application').click();"
        )
        stage = tab.evaluate("(document.getElementById('case-stage') || {}).textContent || ''")
        expect(stage == "待受理", f"[{name}] 登记申请后案件待受理（{stage}）")
        tab.submit("document.getElementById('take-accept').click()")
        stage = tab.evaluate("(document.getElementById('case-stage') || {}).textContent || ''")
        expect(stage == "待入户调查", f"[{name}] 受理后待入户调查（{stage}）")
        deadline = tab.evaluate("(document.getElementById('case-deadline') || {}).textContent || ''")
        expect("办理期限" in deadline, f"[{name}] 显示办理期限：{deadline}")
        photo = tiny_png(os.path.join(out, "signed-papers.png"))
        root = tab.send("DOM.getDocument")["root"]["nodeId"]
        file_input = tab.send("DOM.querySelector", {"nodeId": root, "selector": "#photo-input"})["nodeId"]
        tab.send("DOM.setFileInputFiles", {"files": [photo], "nodeId": file_input})
        tab.submit("document.getElementById('photo-send').click()")
        photos = tab.evaluate("document.querySelectorAll('img.photo').length")
        expect(photos == 1, f"[{name}] 手机拍照上传后案件有照片（{photos} 张）")
        tab.submit(
            "document.querySelector('#step-recordInvestigation input[name=investigator1]').value = '李四';"
            "document.querySelector('#step-recordInvestigation input[name=investigator2]').value = '张三';"
            "document.querySelector('#step-recordInvestigation input[name=commitmentSigned]').checked = true;"
            "document.querySelector('#step-recordInvestigation input[name=authorisationSigned]').checked = true;"
            "document.getElementById('take-recordInvestigation').click();"
        )
        timeline = tab.evaluate("document.getElementById('case-timeline').textContent")
        expect("入户调查" in timeline and "李四" in timeline, f"[{name}] 办理经过记录入户调查")
        overflow = tab.evaluate("document.documentElement.scrollWidth > window.innerWidth")
        expect(not overflow, f"[{name}] 案件页没有横向溢出")
        tab.screenshot(os.path.join(out, f"{name}-case.png"))
        tab.send("Emulation.setDeviceMetricsOverride", VIEWPORTS["desktop"])
        tab.screenshot(os.path.join(out, "desktop-case.png"))
        tab.send("Emulation.setDeviceMetricsOverride", VIEWPORTS[name])
        # Now the county's to check: not the specialist's to-do any more, but open in the village.
        tab.navigate(base + "/cases?scope=all")
        listed = tab.evaluate("document.getElementById('case-list').textContent")
        expect("赵大爷" in listed, f"[{name}] 辖区案件列表列出该案件")
        tab.screenshot(os.path.join(out, f"{name}-cases.png"))

        # Warnings the city raised about households of this village (the demo's department
        # records): a death confirmed on the phone opens its re-check; another is dismissed
        # with a reason.
        def open_warnings(rule):
            for _ in range(90):
                tab.navigate(base + f"/warnings?status=open&rule={rule}")
                if tab.evaluate("document.querySelectorAll('#warning-list tbody tr').length") > 0:
                    return True
                time.sleep(1)
            return False

        expect(open_warnings("death"), f"[{name}] 市级预警平台的死亡预警到达本村")
        tab.screenshot(os.path.join(out, f"{name}-warnings.png"))
        tab.navigate(base + tab.evaluate("document.querySelector('#warning-list tbody a').getAttribute('href')"))
        summary = tab.evaluate("document.getElementById('warning-summary').textContent")
        records = tab.evaluate("document.querySelectorAll('table.warning-record').length")
        expect("死亡" in summary and records == 1, f"[{name}] 预警附部门记录和家庭事实：{summary}")
        overflow = tab.evaluate("document.documentElement.scrollWidth > window.innerWidth")
        expect(not overflow, f"[{name}] 预警页没有横向溢出")
        tab.screenshot(os.path.join(out, f"{name}-warning.png"))
        tab.submit("document.getElementById('confirm-warning').click()")
        kind = tab.evaluate("(document.getElementById('case-title') || {}).textContent || ''")
        message = tab.evaluate("(document.getElementById('case-message') || {}).textContent || ''")
        expect("死亡复查" in kind and "暂停发放" in message, f"[{name}] 核实属实后生成死亡复查：{kind}")
        expect(open_warnings(""), f"[{name}] 其他预警到达本村")
        tab.navigate(base + tab.evaluate("document.querySelector('#warning-list tbody a').getAttribute('href')"))
        tab.submit(
            "document.getElementById('dismiss-reason').value = 'noEffect';"
            "document.getElementById('dismiss-warning').click();"
        )
        status = tab.evaluate("(document.getElementById('warning-status-text') || {}).textContent || ''")
        answer = tab.evaluate("(document.getElementById('warning-verification') || {}).textContent || ''")
        expect(status == "不属实或无需处理" and "不影响救助资格" in answer, f"[{name}] 说明原因后核销预警：{answer}")

    tab.navigate(base + "/calculator")
    tab.submit(
        "document.getElementById('m0-birth').value = '1950-05-01';"
        "document.querySelector('input[name=\"m0.unableToWork\"]').checked = true;"
        "document.querySelector('input[name=\"income.wages\"]').value = '300';"
        "document.getElementById('calculate').click();"
    )
    tier = tab.evaluate("(document.getElementById('calculator-tier') || {}).textContent || ''")
    expect("第一层" in tier, f"[{name}] 政策计算器给出分层：{tier}")
    tab.evaluate("document.getElementById('calculator-result').scrollIntoView()")
    tab.screenshot(os.path.join(out, f"{name}-calculator.png"))

    tab.navigate(base + "/policy")
    current = tab.evaluate("document.getElementById('policy-current').textContent")
    expect("2026.4" in current, f"[{name}] 本节点运行的政策版本：{current}")
    tab.screenshot(os.path.join(out, f"{name}-policy.png"))

    tab.submit("document.getElementById('sign-out').click()")
    expect(tab.evaluate("location.pathname") == "/login", f"[{name}] 退出后回到登录页")
    tab.navigate(base + "/")
    expect(tab.evaluate("location.pathname") == "/login", f"[{name}] 退出后首页不再可见")


# What the dashboard page is made of, read in the page: each figure's charts (their size, title,
# description and label) and its table's numbers, and whether the page is wider than the screen.
DASHBOARD_FACTS = """(() => {
  const figures = Array.from(document.querySelectorAll('section.figure')).map(section => {
    const charts = Array.from(section.querySelectorAll('svg.chart')).map(svg => {
      const box = svg.getBoundingClientRect();
      return {width: box.width, height: box.height, right: box.right,
              title: (svg.querySelector('title') || {}).textContent || '',
              desc: (svg.querySelector('desc') || {}).textContent || '',
              label: svg.getAttribute('aria-label') || '', role: svg.getAttribute('role')};
    });
    const table = section.querySelector('table.figures');
    const headings = table ? Array.from(table.querySelectorAll('thead th')).map(th => th.textContent) : [];
    const rows = table ? Array.from(table.querySelectorAll('tbody tr')).map(tr => ({
      // The row's name: the text or link before a village's 家庭名单 link.
      label: tr.querySelector('th').firstChild.textContent,
      households: (tr.querySelector('a.households') || {}).href || '',
      total: tr.classList.contains('total'),
      drill: (tr.querySelector('a.drill') || {}).href || '',
      cells: Array.from(tr.querySelectorAll('td')).map(td => td.textContent)})) : [];
    return {id: section.id, charts, headings, rows,
            csv: (section.querySelector('a.csv') || {}).href || ''};
  });
  return {title: document.querySelector('h1').textContent, figures,
          overflow: document.documentElement.scrollWidth > window.innerWidth, width: window.innerWidth};
})()"""


def check_dashboard(tab, label):
    """Checks the dashboard on screen: charts drawn and described, tables of whole numbers that
    agree with the charts, nothing wider than the screen. Returns the page's facts."""
    facts = tab.evaluate(DASHBOARD_FACTS)
    expect("救助概况" in facts["title"], f"{label} 标题：{facts['title']}")
    ids = [figure["id"] for figure in facts["figures"]]
    expect(ids[:4] == ["figure-households", "figure-programmes", "figure-trend", "figure-casework"],
           f"{label} 四张图表：{ids}")
    charts = [chart for figure in facts["figures"] for chart in figure["charts"]]
    expect(len(charts) >= 5 and all(c["role"] == "img" and c["title"] and c["desc"] and c["label"] for c in charts),
           f"{label} {len(charts)} 幅 SVG 图，各有 title、desc 与 aria-label")
    expect(all(c["width"] > 200 and c["height"] > 50 and c["right"] <= facts["width"] + 0.5 for c in charts),
           f"{label} 图在屏幕内画出（宽 {[round(c['width']) for c in charts]}）")
    expect(not facts["overflow"], f"{label} 页面没有横向溢出")
    numbers = [cell for figure in facts["figures"] for row in figure["rows"] for cell in row["cells"]]
    expect(numbers and all(cell.isdigit() for cell in numbers), f"{label} 表中 {len(numbers)} 个数字")
    tiers = facts["figures"][0]
    column = tiers["headings"].index("在保合计（户）") - 1
    children = [row for row in tiers["rows"] if not row["total"]]
    total = next(row for row in tiers["rows"] if row["total"])
    expect(sum(int(row["cells"][column]) for row in children) == int(total["cells"][column]),
           f"{label} 各辖区在保户数之和等于合计 {total['cells'][column]}")
    described = tiers["charts"][0]["desc"]
    expect(all(f"{row['label']} {row['cells'][column]} 户" in described for row in children),
           f"{label} 图的说明与表中数字一致")
    return facts


def dashboard_walk(browser, name, base, username, password, out):
    tab = Tab(browser, VIEWPORTS[name])
    base = base.rstrip("/")
    tab.navigate(base + "/login")
    tab.submit(sign_in_form(username, password))
    expect(tab.evaluate("location.pathname") == "/", f"[{name}·概况] {username} 登录后到达首页")
    link = tab.evaluate("(document.querySelector('a[href=\"/dashboard\"]') || {}).textContent || ''")
    expect(link != "", f"[{name}·概况] 首页链接到救助概况（{link}）")
    tab.navigate(base + "/dashboard")
    # The synthetic households travel up and are indexed within seconds of the demo's start.
    deadline = time.monotonic() + 60
    while True:
        facts = tab.evaluate(DASHBOARD_FACTS)
        tiers = facts["figures"][0] if facts["figures"] else {"rows": [], "headings": []}
        totals = [row["cells"] for row in tiers["rows"] if row["total"]]
        column = tiers["headings"].index("在保合计（户）") - 1 if "在保合计（户）" in tiers["headings"] else 0
        if totals and int(totals[0][column]) > 0 or time.monotonic() > deadline:
            break
        time.sleep(1)
        tab.navigate(base + "/dashboard")
    label = f"[{name}·{facts['title']}]"
    facts = check_dashboard(tab, label)
    total = next(row for row in facts["figures"][0]["rows"] if row["total"])
    expect(int(total["cells"][column]) > 0, f"{label} 在保家庭 {total['cells'][column]} 户")
    tab.screenshot(os.path.join(out, f"{name}-dashboard-{username}.png"))

    # The CSV export, as the page's link fetches it: UTF-8 with a BOM, the table's numbers.
    export = tab.evaluate(
        "fetch(document.getElementById('csv-households').href).then(async r => ({type: r.headers.get('content-type'),"
        " disposition: r.headers.get('content-disposition'), bytes: Array.from(new Uint8Array(await r.arrayBuffer()))}))",
        wait=True)
    data = bytes(export["bytes"])
    expect(data.startswith(b"\xef\xbb\xbf") and export["type"].startswith("text/csv"),
           f"{label} CSV 为带 BOM 的 UTF-8（{export['type']}）")
    lines = data[3:].decode("utf-8").split("\r\n")
    expect(lines[0].startswith("行政区划代码,辖区,") and any(line.startswith(",合计,") for line in lines),
           f"{label} CSV 有表头与合计行（{export['disposition']}）")
    expect(f",合计,{','.join(total['cells'])}" in lines, f"{label} CSV 的合计行与页面一致")
    # The same link clicked, as a user downloads it.
    folder = os.path.join(out, "downloads")
    os.makedirs(folder, exist_ok=True)
    browser.send("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": folder, "eventsEnabled": True})
    browser._events.clear()
    tab.evaluate("document.getElementById('csv-trend').click()")
    while True:
        event = browser.wait_for_event("Browser.downloadProgress", None)
        if event["params"]["state"] != "inProgress":
            break
    expect(event["params"]["state"] == "completed", f"{label} 下载月度趋势 CSV（{event['params']['state']}）")

    # One level down, through the first division's link.
    drill = next(row["drill"] for row in facts["figures"][0]["rows"] if row["drill"])
    tab.submit("document.querySelector('a.drill').click()")
    expect(tab.evaluate("location.href") == drill and "division=" in drill, f"{label} 点击辖区进入下一级：{drill}")
    heading = tab.evaluate("document.querySelector('h1').textContent")
    below = check_dashboard(tab, f"[{name}·{heading}]")
    crumbs = tab.evaluate("(document.getElementById('dashboard-crumbs') || {}).textContent || ''")
    expect(crumbs != "", f"{label} 显示所在层级：{crumbs}")
    villages = [row for row in below["figures"][0]["rows"] if row["households"]]
    if villages:
        expect(all("/search?division=" in row["households"] for row in villages),
               f"{label} 各村（居）链接到其家庭名单")
    tab.screenshot(os.path.join(out, f"{name}-dashboard-{username}-below.png"))

    # A division outside the node's jurisdiction is refused, with the reason.
    tab.navigate(base + "/dashboard?division=320100")
    refusal = tab.evaluate("document.querySelector('main').textContent")
    expect("不在本节点辖区" in refusal and "403" in refusal, f"{label} 辖区之外的区划被拒绝")
    tab.submit("document.getElementById('sign-out').click()")
    return below


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True, help="截图目录")
    parser.add_argument("--chromium", default=shutil.which("chromium") or "chromium")
    parser.add_argument("--walk", nargs=4, action="append", default=[],
                        metavar=("VIEWPORT", "URL", "USER", "PASSWORD"))
    parser.add_argument("--dashboard", nargs=4, action="append", default=[],
                        metavar=("VIEWPORT", "URL", "USER", "PASSWORD"))
    arguments = parser.parse_args()
    if not os.path.exists(arguments.chromium):
        print(f"找不到 Chromium（{arguments.chromium}）：请安装 Debian 的 chromium 软件包", file=sys.stderr)
        return 1
    os.makedirs(arguments.out, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="jiuzhu-chromium-") as profile:
        browser = Chromium(arguments.chromium, profile)
        try:
            for name, url, username, password in arguments.walk:
                walk(browser, name, url, username, password, arguments.out)
            for name, url, username, password in arguments.dashboard:
                dashboard_walk(browser, name, url, username, password, arguments.out)
        except WalkFailed as failure:
            print(f"失败：{failure}", file=sys.stderr)
            return 1
        finally:
            browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
