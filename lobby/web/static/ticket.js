// The ticket page, live: the server sends the status fragment whenever it changes.
(function () {
  "use strict";
  var main = document.getElementById("ticket");
  var box = document.getElementById("status");
  var alertBox = document.getElementById("alert");
  if (!main || !box || !window.EventSource) { return; }
  var near = parseInt(main.getAttribute("data-near"), 10) || 0;
  var nearText = main.getAttribute("data-near-text") || "";
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

  function react() {
    var el = current();
    if (!el) { return; }
    var state = el.getAttribute("data-state");
    var ahead = parseInt(el.getAttribute("data-ahead"), 10);
    document.body.classList.toggle("called", state === "called");
    if (state === "called" && lastState !== null && lastState !== "called") {
      buzz([400, 200, 400, 200, 400]);
      ring();
      var said = el.querySelector(".state");
      notify(said ? said.textContent : "");
    }
    if (state === "waiting" && near > 0 && ahead <= near && !nearShown) {
      nearShown = true;
      var message = nearText.replace("{n}", String(ahead));
      alertBox.textContent = message;
      alertBox.hidden = false;
      if (lastState !== null) { buzz([300, 150, 300]); notify(message); }
    }
    if (state !== "waiting") { alertBox.hidden = true; }
    lastState = state;
  }

  react();
  if ("Notification" in window && Notification.permission === "default") {
    document.addEventListener("click", function ask() {
      document.removeEventListener("click", ask);
      try { Notification.requestPermission(); } catch (e) { /* old browsers */ }
    });
  }
  var source = new EventSource(main.getAttribute("data-events") + "?lang=" + main.getAttribute("data-lang"));
  source.addEventListener("status", function (event) {
    box.innerHTML = event.data;
    react();
    document.documentElement.setAttribute("data-updated", String(Date.now()));
  });
  source.addEventListener("expired", function () { source.close(); window.location.reload(); });
})();
