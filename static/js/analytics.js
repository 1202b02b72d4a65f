/*
 * Analytics page: charts from the JSON block #analytics-data (rendered with json_script, never
 * executed), the filter selects, exports (POST, then poll the signed URL until the file is ready)
 * and live refresh when the server says new metrics landed ("cg:team-event" from app.js): the page
 * is fetched again and its [data-live-region] parts and chart data swapped in.
 */
(function () {
  "use strict";

  // Django's JavaScript catalog (/jsi18n/, loaded before this script) translates into the page's language.
  var gettext = window.gettext || function (text) { return text; };

  var charts = {};
  var state = null;
  var PALETTE = ["#4f46e5", "#0ea5e9", "#10b981", "#f59e0b", "#ef4444", "#8b5cf6", "#64748b"];

  function readData() {
    var node = document.getElementById("analytics-data");
    return node ? JSON.parse(node.textContent) : null;
  }

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }

  function interactions(point) {
    return (point.likes || 0) + (point.comments || 0) + (point.shares || 0) + (point.clicks || 0);
  }

  function draw(id, config) {
    var canvas = document.getElementById(id);
    if (!canvas || !window.Chart) {
      return;
    }
    if (charts[id]) {
      charts[id].destroy();
    }
    config.options = Object.assign({ responsive: true, maintainAspectRatio: false, animation: false }, config.options || {});
    charts[id] = new window.Chart(canvas, mirrored(config));
  }

  // Right to left: the value axis on the right (its twin on the left), legends and tooltips read
  // from the right.
  function mirrored(config) {
    if (document.documentElement.getAttribute("dir") !== "rtl") {
      return config;
    }
    var options = config.options;
    var plugins = (options.plugins = Object.assign({}, options.plugins));
    plugins.legend = Object.assign({ rtl: true, textDirection: "rtl" }, plugins.legend);
    plugins.tooltip = Object.assign({ rtl: true, textDirection: "rtl" }, plugins.tooltip);
    var scales = (options.scales = Object.assign({}, options.scales));
    // Days run from the right; platforms keep their order (Chart.js leaves no room for the slanted
    // label of a reversed category axis's last bar).
    if (config.type === "line") {
      scales.x = Object.assign({}, scales.x, { reverse: true });
    }
    scales.y = Object.assign({}, scales.y, { position: "right" });
    if (scales.y1) {
      scales.y1 = Object.assign({}, scales.y1, { position: "left" });
    }
    return config;
  }

  // Today's figures are partial: the segment into a partial day is dashed so it does not read as a drop.
  var partialSegment = {
    borderDash: function (ctx) { return ctx.p1 && ctx.p1.raw !== undefined && ctx.chart.$partial && ctx.chart.$partial[ctx.p1DataIndex] ? [4, 4] : undefined; },
  };

  function drawSeries(series) {
    var labels = series.map(function (p) { return p.date + (p.partial ? " *" : ""); });
    draw("series-chart", {
      type: "line",
      data: {
        labels: labels,
        datasets: [
          { label: gettext("Impressions"), data: series.map(function (p) { return p.impressions; }), borderColor: PALETTE[0], yAxisID: "y", segment: partialSegment },
          { label: gettext("Views"), data: series.map(function (p) { return p.views; }), borderColor: PALETTE[1], yAxisID: "y", segment: partialSegment },
          { label: gettext("Engagements"), data: series.map(interactions), borderColor: PALETTE[2], yAxisID: "y1", segment: partialSegment },
        ],
      },
      plugins: [{ id: "partialDays", beforeInit: function (chart) { chart.$partial = series.map(function (p) { return !!p.partial; }); } }],
      options: {
        interaction: { mode: "index", intersect: false },
        scales: { y: { beginAtZero: true }, y1: { beginAtZero: true, position: "right", grid: { drawOnChartArea: false } } },
      },
    });
  }

  function simulatedLabel() {
    var root = document.getElementById("analytics-root");
    return (root && root.getAttribute("data-simulated-label")) || "simulated";
  }

  function drawPlatforms(rows) {
    draw("platform-chart", {
      type: "bar",
      data: {
        labels: rows.map(function (r) { return (r.platform_name || r.platform) + (r.simulated ? " (" + simulatedLabel() + ")" : ""); }),
        datasets: [{ label: gettext("Engagements"), data: rows.map(interactions), backgroundColor: PALETTE }],
      },
      options: { plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true } } },
    });
  }

  function drawForecast(series, forecast) {
    if (!forecast || !forecast.impressions) {
      return;
    }
    var history = series.slice(-30);
    var points = forecast.impressions.points;
    var labels = history.map(function (p) { return p.date; }).concat(points.map(function (p) { return p.date; }));
    var pad = history.map(function () { return null; });
    draw("forecast-chart", {
      type: "line",
      data: {
        labels: labels,
        datasets: [
          { label: gettext("Impressions"), data: history.map(function (p) { return p.impressions; }).concat(points.map(function () { return null; })), borderColor: PALETTE[0] },
          { label: gettext("Forecast"), data: pad.concat(points.map(function (p) { return p.value; })), borderColor: PALETTE[3], borderDash: [6, 4] },
          { label: gettext("Upper 95 %"), data: pad.concat(points.map(function (p) { return p.upper; })), borderColor: "rgba(245,158,11,0.3)", pointRadius: 0, fill: false },
          { label: gettext("Lower 95 %"), data: pad.concat(points.map(function (p) { return p.lower; })), borderColor: "rgba(245,158,11,0.3)", pointRadius: 0, backgroundColor: "rgba(245,158,11,0.12)", fill: "-1" },
        ],
      },
      options: { interaction: { mode: "index", intersect: false }, scales: { y: { beginAtZero: true } } },
    });
  }

  function hasSeries(series) {
    return series.some(function (p) { return (p.impressions || 0) + (p.views || 0) + interactions(p) > 0; });
  }

  function drawAll(data) {
    var box = document.getElementById("series-box");
    var empty = document.getElementById("series-empty");
    var any = hasSeries(data.series || []);
    if (box && empty) {
      box.hidden = !any;
      empty.hidden = any;
    }
    if (any) {
      drawSeries(data.series);
    }
    drawPlatforms(data.byPlatform || []);
    drawForecast(data.series || [], data.forecast);
  }

  // New metrics landed: fetch this same page again (the server drops the team's cached dashboard
  // when metrics arrive) and swap in what changed, so numbers, change badges, top posts and charts
  // come formatted and translated exactly as on a fresh load.
  function refresh() {
    fetch(window.location.href, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (!html) {
          return;
        }
        var fresh = new DOMParser().parseFromString(html, "text/html");
        document.querySelectorAll("[data-live-region]").forEach(function (node) {
          var replacement = fresh.querySelector('[data-live-region="' + node.getAttribute("data-live-region") + '"]');
          if (replacement) {
            node.innerHTML = replacement.innerHTML;
          }
        });
        var block = fresh.getElementById("analytics-data");
        if (block) {
          state = JSON.parse(block.textContent);
          drawAll(state);
        }
        var status = document.getElementById("live-status");
        if (status) {
          var label = status.getAttribute("data-updated-label") || gettext("Updated");
          status.textContent = label + " " + window.ContentGenAI.formatDateTime(new Date(), { timeStyle: "medium" });
        }
      });
  }

  function showError(message) {
    var box = document.getElementById("export-error");
    if (box) {
      box.textContent = message;
      box.classList.remove("d-none");
    }
  }

  function pollAndDownload(url, button, attempt) {
    fetch(url, { credentials: "same-origin" }).then(function (response) {
      if (response.status === 202 && attempt < 120) {
        window.setTimeout(function () { pollAndDownload(url, button, attempt + 1); }, 1000);
        return;
      }
      button.disabled = false;
      if (!response.ok) {
        showError(gettext("The export failed. Please try again."));
        return;
      }
      var link = document.createElement("a");
      link.href = url;
      link.setAttribute("download", "");
      document.body.appendChild(link);
      link.click();
      link.remove();
    });
  }

  function startExport(button) {
    var root = document.getElementById("analytics-root");
    button.disabled = true;
    fetch(root.getAttribute("data-export-url"), {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken(), Accept: "application/json" },
      body: JSON.stringify({
        format: button.getAttribute("data-export-format"),
        timeRange: root.getAttribute("data-time-range"),
        platform: root.getAttribute("data-platform") || "",
        metrics: [],
      }),
    })
      .then(function (response) { return response.json(); })
      .then(function (body) {
        if (!body.success) {
          button.disabled = false;
          showError((body.error && body.error.message) || gettext("The export could not start."));
          return;
        }
        pollAndDownload(body.downloadUrl, button, 0);
      })
      .catch(function () {
        button.disabled = false;
        showError(gettext("The export could not start."));
      });
  }

  document.addEventListener("DOMContentLoaded", function () {
    state = readData();
    if (!state) {
      return;
    }
    drawAll(state);

    document.querySelectorAll("[data-autosubmit]").forEach(function (select) {
      select.addEventListener("change", function () { select.form.submit(); });
    });
    document.querySelectorAll("[data-export-format]").forEach(function (button) {
      button.addEventListener("click", function () { startExport(button); });
    });
    document.addEventListener("cg:team-event", function (event) {
      if (event.detail && event.detail.kind === "analytics.updated") {
        refresh();
      }
    });
  });
})();
