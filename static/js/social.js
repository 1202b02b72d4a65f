/*
 * Social pages: the publish form's time zone, and confirmations for destructive forms.
 *   <input data-detect-timezone>   filled with the browser's IANA zone (schedules keep it)
 *   <form data-confirm="...">      asks before submitting
 */
(function () {
  "use strict";

  function detectTimezone() {
    var zone = "UTC";
    try {
      zone = Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
    } catch (e) {
      zone = "UTC";
    }
    document.querySelectorAll("input[data-detect-timezone]").forEach(function (input) {
      input.value = zone;
    });
  }

  function confirmForms() {
    document.querySelectorAll("form[data-confirm]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (!window.confirm(form.getAttribute("data-confirm"))) {
          event.preventDefault();
        }
      });
    });
  }

  // Choosing a date means scheduling: tick "Schedule" so the button does what the form shows.
  function scheduleOnDate() {
    [["publish-at", "mode-schedule"], ["bulk-publish-at", "bulk-mode-schedule"]].forEach(function (ids) {
      var when = document.getElementById(ids[0]);
      var schedule = document.getElementById(ids[1]);
      if (when && schedule) {
        when.addEventListener("change", function () {
          schedule.checked = Boolean(when.value);
        });
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    detectTimezone();
    confirmForms();
    scheduleOnDate();
  });
})();
