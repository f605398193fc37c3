// The ticket page, live: the server sends the status fragment whenever it changes.
// When the ticket is called the page turns full-screen colour, vibrates, plays the
// chime and shows a notification where the browser permits; the tab's title flashes
// the call too, until the customer looks (the fallback where notifications are not
// allowed). The near-turn alert vibrates and notifies the same way.
(function () {
  "use strict";
  var main = document.getElementById("ticket");
  var box = document.getElementById("status");
  if (!main || !box || !window.EventSource) { return; }
  var lastState = null;
  var nearShown = false;
  var chime = null;

  function current() { return box.querySelector("[data-state]"); }

  function buzz(pattern) { if (navigator.vibrate) { try { navigator.vibrate(pattern); } catch (e) { /* not allowed */ } } }

  function ring() {
    try {
      if (!chime) { chime = new Audio("/sounds/chime.wav"); }
      var played = chime.play();
      if (played && played.catch) { played.catch(function () { /* needs a tap first */ }); }
    } catch (e) { /* no audio */ }
  }

  function notify(message) {
    if (!("Notification" in window) || Notification.permission !== "granted") { return; }
    try { new Notification(message); } catch (e) { /* some phones allow it only from a worker */ }
  }

  var title = document.title;
  var flashing = null;

  function flashTitle(message) {
    stopFlash();
    var on = false;
    flashing = window.setInterval(function () {
      on = !on;
      document.title = on ? message : title;
    }, 1000);
    document.title = message;
  }

  function stopFlash() {
    if (flashing !== null) { window.clearInterval(flashing); flashing = null; }
    document.title = title;
  }

  function seen() { if (document.visibilityState === "visible" && document.hasFocus()) { stopFlash(); } }
  document.addEventListener("visibilitychange", seen);
  window.addEventListener("focus", seen);

  function react() {
    var el = current();
    if (!el) { return; }
    var state = el.getAttribute("data-state");
    var near = box.querySelector(".alert.near");
    document.body.classList.toggle("called", state === "called");
    if (state === "called" && lastState !== null && lastState !== "called") {
      buzz([400, 200, 400, 200, 400]);
      ring();
      var said = el.querySelector(".state");
      var message = said ? said.textContent.trim() : "";
      notify(message);
      flashTitle("\u25B6 " + message);
    } else if (state !== "called") {
      stopFlash();
    }
    if (near && !nearShown) {
      nearShown = true;
      if (lastState !== null) { buzz([300, 150, 300]); notify(near.textContent.trim()); }
    }
    lastState = state;
  }

  react();
  if ("Notification" in window && Notification.permission === "default") {
    document.addEventListener("click", function ask() {
      document.removeEventListener("click", ask);
      try { Notification.requestPermission(); } catch (e) { /* old browsers */ }
    });
  }
  var source = new EventSource(main.getAttribute("data-events") + "&lang=" + main.getAttribute("data-lang"));
  source.addEventListener("open", function () { window.lobbyLive = true; });
  source.addEventListener("status", function (event) {
    box.innerHTML = event.data;
    react();
    document.documentElement.setAttribute("data-updated", String(Date.now()));
  });
  source.addEventListener("expired", function () { source.close(); window.location.reload(); });
})();
