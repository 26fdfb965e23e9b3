"""A real JupyterLab server for the browser tests: started on 127.0.0.1 in a temporary directory
(its own settings, workspaces and a copy of the notebooks), driven by chromium, stopped after.

Every request the page makes to anything but this server is refused and recorded, so what a
notebook shows must work offline.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

# Settings a reader would leave alone but a test cannot have: no news or update check (a toast
# over the notebook, and a request out), every cell in the page (no windowing), no autosave
# writing outputs back while a test runs.
SETTINGS = {
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {"fetchNews": "false", "checkForUpdates": False},
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
    "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings": {"autosave": False},
}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class JupyterLab:
    """``jupyter lab`` serving a copy of ``notebooks`` from a temporary directory ``home``."""

    def __init__(self, notebooks: list[Path], home: Path):
        self.root = home / "root"
        self.root.mkdir(parents=True)
        for nb in notebooks:
            shutil.copy(nb, self.root / nb.name)
        for name, values in SETTINGS.items():
            path = home / "settings" / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(values), encoding="utf-8")
        self.token = secrets.token_hex(16)
        self.port = _free_port()
        self.origin = f"http://127.0.0.1:{self.port}"
        env = {
            **os.environ,
            "JUPYTER_CONFIG_DIR": str(home / "config"),
            "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
            "JUPYTERLAB_SETTINGS_DIR": str(home / "settings"),
            "JUPYTERLAB_WORKSPACES_DIR": str(home / "workspaces"),
            "IPYTHONDIR": str(home / "ipython"),
        }
        cmd = [sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1", f"--port={self.port}",
               "--ServerApp.port_retries=0", f"--IdentityProvider.token={self.token}",
               f"--ServerApp.root_dir={self.root}", "--allow-root", "--ServerApp.terminals_enabled=False",
               "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
               "--LabApp.extension_manager=readonly"]  # fmt: skip
        self.log = (home / "server.log").open("wb")
        self.proc = subprocess.Popen(cmd, env=env, stdout=self.log, stderr=subprocess.STDOUT, cwd=self.root)
        self._wait()

    def _wait(self, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"jupyter lab exited with {self.proc.returncode}: see {self.log.name}")
            try:
                with urllib.request.urlopen(f"{self.origin}/api/status?token={self.token}", timeout=2):
                    return
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"jupyter lab did not answer within {timeout} s: see {self.log.name}")

    def url(self, notebook: str) -> str:
        """The address of ``notebook`` in JupyterLab, with the token, in a workspace of its own.

        The server is shared by the tests (tests/conftest.py): in the default workspace a page
        would also restore the notebooks an earlier page had open.
        """
        workspace = re.sub(r"\W", "-", Path(notebook).stem)
        return f"{self.origin}/lab/workspaces/{workspace}/tree/{notebook}?token={self.token}"

    def close(self, notebook: str) -> None:
        """Shut down the sessions (and kernels) the server runs for ``notebook``."""
        with urllib.request.urlopen(f"{self.origin}/api/sessions?token={self.token}", timeout=30) as r:
            sessions = [s["id"] for s in json.load(r) if s["path"].endswith(notebook)]
        for sid in sessions:
            req = urllib.request.Request(f"{self.origin}/api/sessions/{sid}?token={self.token}", method="DELETE")
            urllib.request.urlopen(req, timeout=60).close()

    def stop(self) -> None:
        """Stop the server (it shuts its kernels down) and wait for it."""
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()


def offline_page(browser, lab: JupyterLab, viewport):
    """A page that reaches ``lab`` and nothing else; ``page.refused`` lists every request refused."""
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    page.errors, page.refused, page.lab_errors = [], [], []

    def error(e):
        """An error of JupyterLab's own scripts (their stack is all on the server) is JupyterLab's, not ours."""
        stack = e.stack or ""
        ours = lab.origin not in stack or "about:srcdoc" in stack or "blob:" in stack
        if "before replies were done" in str(e):  # JupyterLab's kernel client cancelling a request (no stack)
            ours = False
        (page.errors if ours else page.lab_errors).append(str(e))

    page.on("pageerror", error)

    def route(r):
        if r.request.url.startswith(lab.origin + "/"):
            return r.continue_()
        page.refused.append(r.request.url)
        return r.abort()

    # A predicate, not the glob "http*://**": playwright 1.65 matches no URL with that glob.
    page.route(lambda url: url.startswith(("http:", "https:")), route)
    return page


_PROMPTS = "() => [...document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')].map(e => e.textContent.trim())"
_IDLE = "document.querySelector('.jp-NotebookPanel .jp-Notebook-ExecutionIndicator')?.dataset.status === 'idle'"


def run_all(page, lab: JupyterLab, notebook: str, timeout: float = 480) -> None:
    """Open ``notebook`` and run every cell from the Run menu, by mouse; wait until the last has run.

    JupyterLab may first ask which kernel to start (whether it asks depends on timing): the
    notebook's own is chosen, as a reader would, and the cells are run (again) after. A Run All
    that left cells unrun with the kernel idle for 10 s, 60 s after it was given, is given again:
    given while the kernel was still starting it runs nothing, and a request sent while the
    kernel's websocket reconnects is lost (JupyterLab ran the first cell and not the second,
    the server logging a 500 on the channel's first connection).
    """
    page.goto(lab.url(notebook))
    page.locator(".jp-NotebookPanel .jp-Cell").first.wait_for(timeout=120_000)
    select = page.locator(".jp-Dialog .jp-Dialog-button.jp-mod-accept")
    deadline, ran, idle_since = time.monotonic() + timeout, None, None
    while True:
        prompts = page.evaluate(_PROMPTS)
        if prompts and all(re.fullmatch(r"\[\d+\]:", p) for p in prompts):
            return
        if time.monotonic() > deadline:
            shot = lab.root.parent / "timeout.png"
            page.screenshot(path=str(shot))
            raise TimeoutError(f"the notebook did not run in {timeout} s: see {shot} and {lab.log.name}")
        if select.count():
            select.click()
            ran = None
        elif ran is None and page.evaluate(_IDLE):
            page.locator(".lm-MenuBar-itemLabel").get_by_text("Run", exact=True).click()
            item = page.locator(".lm-Menu-item:not(.lm-mod-disabled) .lm-Menu-itemLabel")
            item.get_by_text("Run All Cells", exact=True).click()
            ran = time.monotonic()
        elif ran is not None and time.monotonic() - ran > 60 and "[ ]:" in prompts:
            idle = page.evaluate(_IDLE) and not any("*" in p for p in prompts)
            idle_since = (idle_since or time.monotonic()) if idle else None
            if idle_since is not None and time.monotonic() - idle_since > 10:
                ran = idle_since = None
        page.wait_for_timeout(500)
