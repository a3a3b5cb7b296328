// <time datetime="...Z" data-local="datetime|date|time"> shown in the reader's own time zone, and
// <span data-time-left="...Z"> kept current as "(2 days 3 hours left)" or "(5 hours ago)".
// The server renders both in UTC first, so the page reads correctly without JavaScript.
(function () {
  "use strict";
  var FORMATS = {
    datetime: { weekday: "short", day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit", timeZoneName: "short" },
    date: { weekday: "short", day: "numeric", month: "short", year: "numeric" },
    time: { hour: "2-digit", minute: "2-digit", timeZoneName: "short" },
  };

  function plural(n, word) { return n + " " + word + (n === 1 ? "" : "s"); }

  // The same words as app/ui.py time_left().
  function span(seconds) {
    var minutes = Math.floor(seconds / 60);
    var days = Math.floor(minutes / 1440);
    var hours = Math.floor((minutes % 1440) / 60);
    minutes = minutes % 60;
    if (days) return plural(days, "day") + (hours ? " " + plural(hours, "hour") : "");
    if (hours) return plural(hours, "hour") + (minutes ? " " + plural(minutes, "minute") : "");
    return minutes ? plural(minutes, "minute") : "less than a minute";
  }

  function timeLeft(moment, now) {
    var seconds = (moment.getTime() - now) / 1000;
    return seconds >= 0 ? span(seconds) + " left" : span(-seconds) + " ago";
  }

  function localise(root) {
    root.querySelectorAll("time[datetime][data-local]").forEach(function (element) {
      var moment = new Date(element.getAttribute("datetime"));
      if (isNaN(moment.getTime())) return;
      var format = FORMATS[element.dataset.local] || FORMATS.datetime;
      element.textContent = new Intl.DateTimeFormat(undefined, format).format(moment);
      element.dataset.localised = "true";
    });
    refresh(root);
  }

  function refresh(root) {
    var now = Date.now();
    root.querySelectorAll("[data-time-left]").forEach(function (element) {
      var moment = new Date(element.dataset.timeLeft);
      if (!isNaN(moment.getTime())) element.textContent = "(" + timeLeft(moment, now) + ")";
    });
  }

  window.Nabla.enhance(localise);
  window.Nabla.timeLeft = timeLeft;
  setInterval(function () { refresh(document); }, 30000);
})();
