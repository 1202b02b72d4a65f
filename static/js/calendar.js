// Calendar: drag a pending post onto another day (month) or day and hour (week time grid) to
// reschedule it; the calendar refreshes itself when the team's schedules change (websocket).
(function () {
  "use strict";

  // Django's JavaScript catalog (/jsi18n/, loaded before this script) translates into the page's language.
  var gettext = window.gettext || function (text) { return text; };
  var interpolate = window.interpolate || function (format, values) {
    return format.replace(/%\((\w+)\)s/g, function (match, key) { return String(values[key]); });
  };

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }

  function toast(title, body, kind) {
    if (window.ContentGenAI && window.ContentGenAI.toast) {
      window.ContentGenAI.toast({ title: title, body: body || "", kind: kind || "info" });
    }
  }

  function refresh() {
    if (window.htmx) {
      window.htmx.ajax("GET", window.location.href, { target: "#calendar-body", swap: "innerHTML" });
    } else {
      window.location.reload();
    }
  }

  function reschedule(id, day, time, zone) {
    return fetch("/api/schedules/" + encodeURIComponent(id) + "/", {
      method: "PATCH",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
      body: JSON.stringify({ scheduledAt: day + "T" + time + ":00", timezone: zone }),
    }).then(function (response) {
      return response.json().then(function (body) {
        if (!response.ok) {
          throw new Error((body.error && body.error.message) || gettext("Could not move the post."));
        }
        return body;
      });
    });
  }

  document.addEventListener("dragstart", function (event) {
    var chip = event.target.closest && event.target.closest(".calendar-chip[draggable='true']");
    if (!chip) return;
    event.dataTransfer.setData("text/plain", chip.dataset.scheduleId + "|" + chip.dataset.localTime);
    event.dataTransfer.effectAllowed = "move";
    chip.classList.add("is-dragging");
  });

  document.addEventListener("dragend", function (event) {
    var chip = event.target.closest && event.target.closest(".calendar-chip");
    if (chip) chip.classList.remove("is-dragging");
  });

  document.addEventListener("dragover", function (event) {
    var day = event.target.closest && event.target.closest(".calendar-day");
    if (!day) return;
    event.preventDefault();
    day.classList.add("is-drop-target");
  });

  document.addEventListener("dragleave", function (event) {
    var day = event.target.closest && event.target.closest(".calendar-day");
    if (day) day.classList.remove("is-drop-target");
  });

  document.addEventListener("drop", function (event) {
    var day = event.target.closest && event.target.closest(".calendar-day");
    if (!day) return;
    event.preventDefault();
    day.classList.remove("is-drop-target");
    var data = (event.dataTransfer.getData("text/plain") || "").split("|");
    if (data.length !== 2) return;
    if (day.dataset.hour) {
      data[1] = day.dataset.hour + ":" + data[1].split(":")[1]; // the hour's row, the same minutes
    }
    var calendar = document.querySelector("[data-team-timezone]");
    var zone = calendar ? calendar.dataset.teamTimezone : "UTC";
    reschedule(data[0], day.dataset.date, data[1], zone)
      .then(function () {
        toast(gettext("Rescheduled"), interpolate(gettext("Moved to %(day)s %(time)s."), { day: day.dataset.date, time: data[1] }, true), "success");
        refresh();
      })
      .catch(function (error) {
        toast(gettext("Not moved"), error.message, "error");
      });
  });

  // Another tab, a teammate or the dispatcher changed a schedule: show it without a reload.
  var pending = null;
  document.addEventListener("cg:team-event", function (event) {
    if (!event.detail || event.detail.kind !== "calendar.changed" || !document.getElementById("calendar-body")) return;
    clearTimeout(pending);
    pending = setTimeout(refresh, 300);
  });

  // "+N more" opened a day: take keyboard and screen-reader focus to it.
  document.addEventListener("htmx:afterSwap", function (event) {
    if (!event.detail || !event.detail.target || event.detail.target.id !== "calendar-day") return;
    var heading = document.getElementById("calendar-day-title");
    if (heading) heading.focus();
  });
})();
