// The web hall display: board fragments from the server; a flash, the chime and
// (once sound is switched on with a tap, as browsers require) speech for each call.
(function () {
  "use strict";
  var board = document.getElementById("board");
  var clock = document.getElementById("clock");
  var soundButton = document.getElementById("sound");
  var chime = document.getElementById("chime");
  var soundOn = false;
  var queue = [];
  var speaking = false;

  function tick() {
    if (!clock) { return; }
    try {
      clock.textContent = new Date().toLocaleTimeString("zh-CN",
        { timeZone: clock.getAttribute("data-tz"), hour: "2-digit", minute: "2-digit", hour12: false });
    } catch (e) { clock.textContent = new Date().toTimeString().slice(0, 5); }
  }
  tick();
  setInterval(tick, 10000);

  function spell(number) { return number.split("").join(" "); }

  function say(text, lang, done) {
    if (!window.speechSynthesis) { done(); return; }
    var u = new SpeechSynthesisUtterance(text);
    u.lang = lang;
    u.onend = done;
    u.onerror = done;
    window.speechSynthesis.speak(u);
  }

  function next() {
    if (speaking || !queue.length) { return; }
    speaking = true;
    var call = queue.shift();
    var finish = function () { speaking = false; next(); };
    var speak = function () {
      say("请 " + spell(call.number) + " 号到 " + call.counter + " 号窗口", "zh-CN", function () {
        say("Number " + spell(call.number) + ", please go to counter " + call.counter, "en-US", finish);
      });
    };
    if (chime) {
      chime.currentTime = 0;
      var played = chime.play();
      chime.onended = speak;
      if (played && played.catch) { played.catch(speak); }
    } else { speak(); }
  }

  if (soundButton) {
    soundButton.addEventListener("click", function () {
      soundOn = !soundOn;
      soundButton.setAttribute("aria-pressed", soundOn ? "true" : "false");
    });
  }
  if (!board || !window.EventSource) { return; }
  var source = new EventSource(board.getAttribute("data-events"));
  source.addEventListener("board", function (event) { board.innerHTML = event.data; });
  source.addEventListener("call", function (event) {
    var call = JSON.parse(event.data);
    var rows = board.querySelectorAll(".call");
    for (var i = 0; i < rows.length; i++) {
      if (rows[i].getAttribute("data-number") === call.number) {
        rows[i].classList.remove("flash");
        void rows[i].offsetWidth;
        rows[i].classList.add("flash");
      }
    }
    document.documentElement.setAttribute("data-last-call", call.number + "@" + call.counter);
    if (soundOn) { queue.push(call); next(); }
  });
})();
