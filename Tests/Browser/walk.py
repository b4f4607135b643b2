#!/usr/bin/env python3
"""Walks the running demo in headless Chromium: sign in, home page, calculator, policy, sign out.

Talks to Chromium over its DevTools pipe (--remote-debugging-pipe: JSON messages ended by
NUL on file descriptors 3 and 4), so it needs nothing beyond Python's standard library and
Debian's chromium package. Saves screenshots at phone and desktop widths.

    walk.py --out DIR --walk phone URL USER PASSWORD --walk desktop URL USER PASSWORD

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

    def evaluate(self, expression):
        result = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True})
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


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True, help="截图目录")
    parser.add_argument("--chromium", default=shutil.which("chromium") or "chromium")
    parser.add_argument("--walk", nargs=4, action="append", required=True,
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
        except WalkFailed as failure:
            print(f"失败：{failure}", file=sys.stderr)
            return 1
        finally:
            browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
