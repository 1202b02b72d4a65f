/*
 * ContentGenAI front end: the one script every page loads (the CSP allows no inline script).
 *
 * Loaded in <head> without defer so the colour scheme is set before first paint; everything
 * that needs the DOM, Bootstrap or htmx waits for DOMContentLoaded (deferred vendor scripts
 * have run by then).
 *
 * Hooks for other pages:
 *   <body data-notifications-socket="/ws/notifications/">  opens the live channel (logged in only)
 *   <body data-login-url="/accounts/login/">                where an expired htmx session goes
 *   .toast[data-cg-autoshow]                               server-rendered toasts shown on load
 *   document event "cg:notification" (detail = payload)    fired for each live notification
 *   document event "cg:team-event" (detail = event)         fired for each team event (e.g. analytics.updated)
 *   window.ContentGenAI.toast({title, body, kind, url})    show a toast from any script
 *   window.ContentGenAI.formatDateTime(date, options)      a date in the page's language (<html lang>)
 *   window.ContentGenAI.formatNumber(value, options)       a number in the page's language
 */
(function () {
  "use strict";

  // Django's JavaScript catalog (/jsi18n/, loaded before this script) translates into the page's language.
  var gettext = window.gettext || function (text) { return text; };
  var interpolate = window.interpolate || function (format, values) {
    return format.replace(/%\((\w+)\)s/g, function (match, key) { return String(values[key]); });
  };
  var ngettext = window.ngettext || function (singular, plural, count) { return count === 1 ? singular : plural; };

  // ---- Colour scheme: mirror prefers-color-scheme onto Bootstrap's data-bs-theme ---------
  var darkQuery = window.matchMedia ? window.matchMedia("(prefers-color-scheme: dark)") : null;

  function applyColorScheme() {
    var dark = darkQuery && darkQuery.matches;
    document.documentElement.setAttribute("data-bs-theme", dark ? "dark" : "light");
  }

  applyColorScheme();
  if (darkQuery && darkQuery.addEventListener) {
    darkQuery.addEventListener("change", applyColorScheme);
  }

  // ---- htmx: CSRF header and expired sessions ----------------------------------------
  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }

  document.addEventListener("htmx:configRequest", function (event) {
    var token = csrfToken();
    if (token) {
      event.detail.headers["X-CSRFToken"] = token;
    }
  });

  // A partial requested after the session ended gets redirected to the login page; send the
  // whole window there instead of swapping a login form into a dropdown.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var loginUrl = document.body && document.body.getAttribute("data-login-url");
    var responseUrl = event.detail.xhr && event.detail.xhr.responseURL;
    if (!loginUrl || !responseUrl) {
      return;
    }
    if (new URL(responseUrl, window.location.href).pathname === loginUrl) {
      event.detail.shouldSwap = false;
      var next = window.location.pathname + window.location.search;
      window.location.assign(loginUrl + "?next=" + encodeURIComponent(next));
    }
  });

  // ---- Toasts ----------------------------------------------------------------------------
  var KIND_ICONS = {
    info: "info-circle",
    success: "check-circle",
    warning: "exclamation-triangle",
    error: "x-circle",
    danger: "x-circle",
  };

  function iconElement(name) {
    var sprite = document.body.getAttribute("data-icon-sprite");
    var svgNs = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(svgNs, "svg");
    svg.setAttribute("class", "icon icon-lg mt-1");
    svg.setAttribute("aria-hidden", "true");
    var use = document.createElementNS(svgNs, "use");
    use.setAttribute("href", sprite + "#" + name);
    svg.appendChild(use);
    return svg;
  }

  function safeLocalUrl(url) {
    if (!url) {
      return "";
    }
    try {
      var parsed = new URL(url, window.location.href);
      return parsed.origin === window.location.origin ? parsed.pathname + parsed.search + parsed.hash : "";
    } catch (error) {
      return "";
    }
  }

  // Built with DOM calls, never innerHTML: titles and bodies are user-controlled text.
  function showToast(options) {
    var container = document.getElementById("toast-container");
    if (!container || !window.bootstrap) {
      return null;
    }
    var kind = KIND_ICONS[options.kind] ? options.kind : "info";
    var toast = document.createElement("div");
    toast.className = "toast toast-" + kind;
    toast.setAttribute("role", kind === "error" ? "alert" : "status");
    toast.setAttribute("aria-live", kind === "error" ? "assertive" : "polite");
    toast.setAttribute("aria-atomic", "true");
    toast.setAttribute("data-cg-toast", "notification");

    var body = document.createElement("div");
    body.className = "toast-body";
    body.appendChild(iconElement(KIND_ICONS[kind]));

    var text = document.createElement("div");
    text.className = "flex-grow-1";
    var title = document.createElement("strong");
    title.className = "d-block";
    title.textContent = options.title || "";
    text.appendChild(title);
    if (options.body) {
      var detail = document.createElement("span");
      detail.className = "d-block text-body-secondary small";
      detail.textContent = options.body;
      text.appendChild(detail);
    }
    var href = safeLocalUrl(options.url);
    if (href) {
      var link = document.createElement("a");
      link.className = "small fw-semibold";
      link.href = href;
      link.textContent = gettext("Open");
      text.appendChild(link);
    }
    body.appendChild(text);

    var close = document.createElement("button");
    close.type = "button";
    close.className = "btn-close";
    close.setAttribute("data-bs-dismiss", "toast");
    close.setAttribute("aria-label", gettext("Close"));
    body.appendChild(close);

    toast.appendChild(body);
    container.appendChild(toast);
    toast.addEventListener("hidden.bs.toast", function () {
      toast.remove();
    });
    window.bootstrap.Toast.getOrCreateInstance(toast, { delay: 6000 }).show();
    return toast;
  }

  // ---- Notifications: badge, panel, live channel --------------------------------------
  function setUnread(count) {
    var badge = document.getElementById("notification-badge");
    var bell = document.getElementById("notification-bell");
    var n = Math.max(0, parseInt(count, 10) || 0);
    if (badge) {
      badge.textContent = n > 99 ? "99+" : String(n);
      badge.hidden = n === 0;
    }
    if (bell) {
      bell.setAttribute(
        "aria-label",
        n ? interpolate(ngettext("Notifications, %(count)s unread", "Notifications, %(count)s unread", n), { count: n }, true)
          : gettext("Notifications")
      );
    }
  }

  function refreshPanel() {
    var panel = document.getElementById("notification-panel");
    if (panel && window.htmx) {
      window.htmx.trigger(panel, "load-notifications");
    }
  }

  // The panel partial carries the server's unread count; keep the badge in step with it.
  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail.target && event.detail.target.id === "notification-panel") {
      var root = event.detail.target.querySelector("[data-unread]");
      if (root) {
        setUnread(root.getAttribute("data-unread"));
      }
    }
  });

  function panelIsOpen() {
    var menu = document.getElementById("notification-menu");
    return !!(menu && menu.classList.contains("show"));
  }

  function handleMessage(message) {
    // Team events (new metrics, ...) are for the page's own script to act on.
    if (message && message.type === "team_event") {
      document.dispatchEvent(new CustomEvent("cg:team-event", { detail: message.event || {} }));
      return;
    }
    if (!message || message.type !== "notification" || !message.notification) {
      return;
    }
    if (typeof message.unread === "number") {
      setUnread(message.unread);
    }
    showToast(message.notification);
    if (panelIsOpen()) {
      refreshPanel();
    }
    document.dispatchEvent(new CustomEvent("cg:notification", { detail: message.notification }));
  }

  var socket = null;
  var attempts = 0;
  var reconnectTimer = null;
  var MAX_DELAY_MS = 30000;

  function scheduleReconnect(path) {
    if (reconnectTimer) {
      return;
    }
    // Exponential backoff with jitter, so a server restart is not met by every tab at once.
    var delay = Math.min(MAX_DELAY_MS, 1000 * Math.pow(2, attempts)) * (0.5 + Math.random() / 2);
    attempts += 1;
    reconnectTimer = window.setTimeout(function () {
      reconnectTimer = null;
      connect(path);
    }, delay);
  }

  function connect(path) {
    if (!("WebSocket" in window)) {
      return;
    }
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    try {
      socket = new WebSocket(scheme + window.location.host + path);
    } catch (error) {
      scheduleReconnect(path);
      return;
    }
    socket.addEventListener("open", function () {
      attempts = 0;
      document.body.setAttribute("data-socket-state", "open");
    });
    socket.addEventListener("message", function (event) {
      var data = null;
      try {
        data = JSON.parse(event.data);
      } catch (error) {
        return;
      }
      handleMessage(data);
    });
    socket.addEventListener("close", function (event) {
      document.body.setAttribute("data-socket-state", "closed");
      socket = null;
      // 4401: the server says we are not logged in; retrying cannot help.
      if (event.code === 4401) {
        return;
      }
      scheduleReconnect(path);
    });
  }

  // ---- Locale: scripts format dates and numbers in the page's language, never the browser's --
  function pageLocale() {
    return document.documentElement.getAttribute("lang") || undefined;
  }

  function formatDateTime(date, options) {
    try {
      return new Intl.DateTimeFormat(pageLocale(), options || { dateStyle: "medium", timeStyle: "short" }).format(date);
    } catch (error) {
      return date.toISOString();
    }
  }

  function formatNumber(value, options) {
    try {
      return new Intl.NumberFormat(pageLocale(), options).format(value);
    } catch (error) {
      return String(value);
    }
  }

  window.ContentGenAI = { toast: showToast, setUnread: setUnread, formatDateTime: formatDateTime, formatNumber: formatNumber };

  document.addEventListener("DOMContentLoaded", function () {
    if (window.bootstrap) {
      document.querySelectorAll(".toast[data-cg-autoshow]").forEach(function (element) {
        window.bootstrap.Toast.getOrCreateInstance(element).show();
      });
    }

    var bell = document.getElementById("notification-bell");
    if (bell) {
      bell.addEventListener("show.bs.dropdown", refreshPanel);
    }

    var socketPath = document.body.getAttribute("data-notifications-socket");
    if (socketPath) {
      connect(socketPath);
      window.addEventListener("online", function () {
        if (!socket) {
          if (reconnectTimer) {
            window.clearTimeout(reconnectTimer);
            reconnectTimer = null;
          }
          attempts = 0;
          connect(socketPath);
        }
      });
    }
  });
})();
