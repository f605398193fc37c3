"""The phone's alerts on a call and near its turn, in headless Chromium on both backends.

Headless Chromium has ``navigator.vibrate``, ``Notification`` and audio, but nothing
to vibrate, no notification permission and no one to hear: the test grants the
permission through the DevTools protocol (as a customer's tap on "allow" would) and
records each call to the real APIs before passing it on, so what is asserted is what
the page asked the browser to do, when the call event arrived.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from selenium.webdriver.support.ui import WebDriverWait

from lobby import engine
from lobby.db import Database
from tests.helpers import ManualClock, actor, environment_at
from tests.web.test_browser import text_of

pytestmark = [pytest.mark.browser]
WAIT_S = 15

#: Runs before the page's own scripts: records vibrations, notifications and sounds.
RECORDER = """
window.alerts = [];
var vibrate = navigator.vibrate.bind(navigator);
navigator.vibrate = function (pattern) {
  window.alerts.push({kind: "vibrate", pattern: pattern, at: Date.now()});
  return vibrate(pattern);
};
var RealNotification = window.Notification;
function Recorded(message, options) {
  window.alerts.push({kind: "notification", message: message, at: Date.now()});
  return new RealNotification(message, options);
}
Object.defineProperty(Recorded, "permission", {
  get: function () { return RealNotification.permission; }
});
Recorded.requestPermission = RealNotification.requestPermission.bind(RealNotification);
window.Notification = Recorded;
var play = HTMLMediaElement.prototype.play;
HTMLMediaElement.prototype.play = function () {
  window.alerts.push({kind: "sound", src: this.src, at: Date.now()});
  return play.call(this);
};
document.addEventListener("DOMContentLoaded", function () {
  new MutationObserver(function () {
    if (!window.calledAt && document.querySelector('#status [data-state="called"]')) {
      window.calledAt = Date.now();
    }
  }).observe(document.getElementById("status"), {childList: true, subtree: true});
});
"""


@pytest.fixture
def recorded(page: Any) -> Iterator[Any]:
    """The browser with :data:`RECORDER` installed in every page it opens."""
    script = page.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": RECORDER})
    try:
        yield page
    finally:
        page.execute_cdp_cmd(
            "Page.removeScriptToEvaluateOnNewDocument", {"identifier": script["identifier"]}
        )
        page.execute_cdp_cmd("Browser.resetPermissions", {})


def alerts(page: Any, kind: str) -> list[dict[str, Any]]:
    return [a for a in page.execute_script("return window.alerts") if a["kind"] == kind]


def call_at_counter_3(db_url: str, clock: ManualClock, command: str) -> None:
    """A teller's command from another process, as the console would send it."""
    subprocess.run(
        [sys.executable, "-m", "lobby", command, "--counter", "3", "--db", db_url]
        + ["--staff", "T01", "--pin", "1111"],
        check=True,
        capture_output=True,
        env=environment_at(clock),
        timeout=60,
    )


def test_call_vibrates_rings_and_notifies(
    db: Database, db_url: str, clock: ManualClock, web: str, recorded: Any
) -> None:
    recorded.execute_cdp_cmd(
        "Browser.grantPermissions", {"origin": web, "permissions": ["notifications"]}
    )
    with db.unit_of_work(actor("M01")) as uow:
        ahead = [engine.issue_ticket(uow, "cash").number for _ in range(4)]
        mine = engine.issue_ticket(uow, "cash")
        engine.set_counter_status(uow, 3, "open")
    recorded.get(f"{web}/t/{mine.code}?lang=en")
    WebDriverWait(recorded, WAIT_S).until(lambda p: p.execute_script("return window.lobbyLive"))
    assert recorded.execute_script("return Notification.permission") == "granted"
    assert text_of(recorded, ".ahead") == "4 ahead of you"
    assert recorded.execute_script("return window.alerts") == []  # nothing before a change

    call_at_counter_3(db_url, clock, "call")  # 3 ahead: the near-turn alert
    WebDriverWait(recorded, WAIT_S).until(lambda p: alerts(p, "vibrate"))
    assert text_of(recorded, ".alert.near") == "Nearly your turn: 3 ahead"
    assert [a["pattern"] for a in alerts(recorded, "vibrate")] == [[300, 150, 300]]
    assert [a["message"] for a in alerts(recorded, "notification")] == ["Nearly your turn: 3 ahead"]
    assert alerts(recorded, "sound") == []

    with db.unit_of_work(actor("M01")) as uow:  # the others ahead leave the queue
        for number in ahead[1:]:
            engine.cancel(uow, number, reason="left")
    call_at_counter_3(db_url, clock, "finish")
    before = len(recorded.execute_script("return window.alerts"))
    call_at_counter_3(db_url, clock, "call")  # now mine
    WebDriverWait(recorded, WAIT_S).until(
        lambda p: len(p.execute_script("return window.alerts")) >= before + 3
    )
    assert text_of(recorded, ".state") == "Please go to counter 3"
    fresh = recorded.execute_script("return window.alerts")[before:]
    assert {a["kind"] for a in fresh} == {"vibrate", "sound", "notification"}
    assert next(a for a in fresh if a["kind"] == "vibrate")["pattern"] == [400, 200, 400, 200, 400]
    assert next(a for a in fresh if a["kind"] == "notification")["message"] == (
        "Please go to counter 3"
    )
    assert next(a for a in fresh if a["kind"] == "sound")["src"].endswith("/sounds/chime.wav")
    called_at = recorded.execute_script("return window.calledAt")
    assert all(abs(a["at"] - called_at) < 500 for a in fresh)  # on the call event itself

    call_at_counter_3(db_url, clock, "start")  # being served: no new alert
    WebDriverWait(recorded, WAIT_S).until(
        lambda p: text_of(p, ".state") == "Being served at counter 3"
    )
    assert len(recorded.execute_script("return window.alerts")) == before + 3


def test_without_permission_the_title_flashes_the_call(
    db: Database, db_url: str, clock: ManualClock, web: str, recorded: Any
) -> None:
    with db.unit_of_work(actor("M01")) as uow:
        mine = engine.issue_ticket(uow, "cash")
        engine.set_counter_status(uow, 3, "open")
    recorded.get(f"{web}/t/{mine.code}?lang=en")
    WebDriverWait(recorded, WAIT_S).until(lambda p: p.execute_script("return window.lobbyLive"))
    assert recorded.execute_script("return Notification.permission") != "granted"
    title = recorded.title
    call_at_counter_3(db_url, clock, "call")
    WebDriverWait(recorded, WAIT_S).until(lambda p: p.title == "\u25b6 Please go to counter 3")
    assert alerts(recorded, "notification") == []  # not permitted: not attempted
    assert [a["pattern"] for a in alerts(recorded, "vibrate")] == [[400, 200, 400, 200, 400]]
    WebDriverWait(recorded, WAIT_S).until(lambda p: p.title == title)  # flashing on and off
    call_at_counter_3(db_url, clock, "start")
    WebDriverWait(recorded, WAIT_S).until(
        lambda p: text_of(p, ".state") == "Being served at counter 3"
    )
    assert recorded.title == title
