/*
 * The Generate studio: streams posts as they are written (fetch + ReadableStream over server-sent
 * events), keeps a live character counter per platform (counted by the server, the one source of
 * truth for how each platform counts), and saves drafts.
 */
(function () {
  "use strict";

  var root = document.querySelector(".studio");
  if (!root) {
    return;
  }
  var form = document.getElementById("studio-form");
  var results = document.getElementById("studio-results");
  var cardTemplate = document.getElementById("preview-card-template");
  var submit = form.querySelector('button[type="submit"]');
  var cards = {};
  var countTimers = {};
  var cardSeq = 0;

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }

  function toast(options) {
    if (window.ContentGenAI && window.ContentGenAI.toast) {
      window.ContentGenAI.toast(options);
    }
  }

  function post(url, data) {
    return fetch(url, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(), "X-Requested-With": "fetch" },
    });
  }

  function platformLabel(platform) {
    var input = form.querySelector('input[name="platforms"][value="' + platform + '"]');
    var span = input && input.parentElement ? input.parentElement.querySelector("span") : null;
    return span ? span.textContent : platform;
  }

  function part(card, selector) {
    return card.querySelector(selector);
  }

  function cardFor(platform) {
    if (cards[platform]) {
      return cards[platform];
    }
    var card = cardTemplate.content.firstElementChild.cloneNode(true);
    cardSeq += 1;
    card.dataset.platform = platform;
    part(card, ".preview-platform").textContent = platformLabel(platform);
    var text = part(card, ".preview-text");
    text.id = "preview-text-" + cardSeq;
    part(card, ".preview-label").setAttribute("for", text.id);
    var when = part(card, ".preview-when");
    when.id = "preview-when-" + cardSeq;
    part(card, ".preview-when-label").setAttribute("for", when.id);
    text.addEventListener("input", function () {
      scheduleCount(card);
    });
    part(card, ".preview-save").addEventListener("click", function () {
      saveDraft(card);
    });
    var empty = results.querySelector(".studio-empty");
    if (empty) {
      empty.hidden = true;
    }
    results.appendChild(card);
    cards[platform] = card;
    return card;
  }

  function setCounter(card, count, limit) {
    var counter = part(card, ".char-counter");
    counter.textContent = count + " / " + limit;
    counter.classList.toggle("over-limit", count > limit);
    counter.title = count > limit ? "Over the platform's limit" : "Within the platform's limit";
  }

  function requestCount(card) {
    var data = new FormData();
    data.append("text", part(card, ".preview-text").value);
    data.append("platforms", card.dataset.platform);
    post(root.dataset.countUrl, data)
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (body) {
        var counts = body && body.counts ? body.counts[card.dataset.platform] : null;
        if (counts) {
          setCounter(card, counts.count, counts.limit);
        }
      })
      .catch(function () {});
  }

  function scheduleCount(card) {
    var key = card.dataset.platform;
    clearTimeout(countTimers[key]);
    countTimers[key] = setTimeout(function () {
      requestCount(card);
    }, 200);
  }

  function showFieldErrors(details) {
    form.querySelectorAll("[data-error-for]").forEach(function (node) {
      var messages = details && details[node.dataset.errorFor];
      node.textContent = messages ? [].concat(messages).join(" ") : "";
    });
  }

  function progress(card, message) {
    var node = part(card, ".preview-progress");
    node.textContent = message || "";
    node.hidden = !message;
  }

  // Moderation's decision on the generated text, with its reasons: shown to the author while writing.
  function showModeration(card, moderation) {
    var box = part(card, ".preview-moderation");
    var decision = moderation && moderation.decision;
    if (!box || !decision || decision === "allow") {
      if (box) box.hidden = true;
      return;
    }
    var badge = part(card, ".preview-moderation-badge");
    badge.textContent = decision === "block" ? box.dataset.labelBlock : box.dataset.labelFlag;
    badge.className = "status-badge preview-moderation-badge " + (decision === "block" ? "status-failed" : "status-warning");
    var list = part(card, ".preview-moderation-reasons");
    list.textContent = "";
    var seen = {};
    (moderation.reasons || []).forEach(function (reason) {
      var key = String(reason.message).toLowerCase();
      if (seen[key]) return; // one line per reason, not per occurrence
      seen[key] = true;
      var item = document.createElement("li");
      item.textContent = reason.message;
      list.appendChild(item);
    });
    box.dataset.decision = decision;
    box.hidden = false;
  }

  // The plan's generation quota is used up: no draft card, the upgrade prompt with the server's link.
  function showUpgrade(data) {
    var box = document.getElementById("studio-upgrade");
    if (!box) {
      toast({ title: data.message, kind: "error" });
      return;
    }
    var message = box.querySelector(".upgrade-prompt p");
    if (message) {
      message.textContent = data.message;
    }
    var link = box.querySelector('[data-testid="upgrade-link"]');
    if (link) {
      link.setAttribute("href", data.upgradeUrl);
    }
    box.hidden = false;
    toast({ title: data.message, kind: "error", url: data.upgradeUrl });
  }

  // Where the score comes from, what the writer learned from, and warnings (e.g. the wrong language):
  // the server sends these sentences already translated.
  function showNotes(card, data) {
    var notes = card.querySelector(".preview-notes");
    if (!notes) {
      return;
    }
    notes.textContent = "";
    var items = [[data.engagement && data.engagement.sourceLabel, "score-source"],
      [data.learnedFrom && data.learnedFrom.summary, "learned-from"]];
    (data.warnings || []).forEach(function (warning) { items.push([warning, "warning"]); });
    items.forEach(function (item) {
      if (!item[0]) {
        return;
      }
      var li = document.createElement("li");
      li.textContent = item[0];
      li.dataset.note = item[1];
      li.className = item[1] === "warning" ? "text-warning-emphasis fw-semibold" : "text-body-secondary";
      if (item[1] === "warning") {
        li.setAttribute("role", "alert");
      }
      notes.appendChild(li);
    });
  }

  function handle(event, data) {
    if (event === "error" && data.upgradeUrl) {
      showUpgrade(data);
      return;
    }
    var card = data.platform ? cardFor(data.platform) : null;
    if (event === "start") {
      part(card, ".preview-text").value = "";
      part(card, ".preview-error").textContent = "";
      part(card, ".preview-moderation").hidden = true;
      var badge = part(card, ".preview-provider");
      badge.textContent = data.label + (data.offline ? " · offline" : "") + (data.cached ? " · cached" : "");
      card.dataset.provider = data.provider;
      progress(card, "Writing with " + data.label + "…");
    } else if (event === "delta") {
      part(card, ".preview-text").value += data.text;
    } else if (event === "reset") {
      part(card, ".preview-text").value = "";
      progress(card, data.reason === "language" ? "Not in the language you asked for; rewriting…"
        : data.provider + " stopped answering; trying the next provider…");
    } else if (event === "done") {
      var text = part(card, ".preview-text");
      text.value = data.content;
      text.setAttribute("dir", data.direction);
      setCounter(card, data.characterCount, data.characterLimit);
      part(card, ".preview-hashtags").textContent = data.hashtags.join(" ");
      var score = part(card, ".preview-score");
      score.hidden = false;
      score.textContent = "Engagement " + data.engagement.score + "/100";
      score.className = "status-badge preview-score " + (data.engagement.score >= 70 ? "status-success" : "status-warning");
      var reasons = part(card, ".preview-reasons");
      reasons.textContent = "";
      data.engagement.reasons.slice(0, 3).forEach(function (reason) {
        var item = document.createElement("li");
        item.textContent = reason;
        reasons.appendChild(item);
      });
      showModeration(card, data.moderation);
      showNotes(card, data);
      progress(card, "");
    } else if (event === "error") {
      part(card, ".preview-error").textContent = data.message;
      progress(card, "");
      toast({ title: "Could not write the " + platformLabel(data.platform) + " post", body: data.message, kind: "error" });
    }
  }

  function readEvents(response) {
    var reader = response.body.getReader();
    var decoder = new TextDecoder();
    var buffer = "";
    function pump() {
      return reader.read().then(function (step) {
        buffer += decoder.decode(step.value || new Uint8Array(), { stream: !step.done });
        var blocks = buffer.split("\n\n");
        buffer = blocks.pop();
        blocks.forEach(function (block) {
          var event = "message";
          var data = "";
          block.split("\n").forEach(function (line) {
            if (line.indexOf("event: ") === 0) {
              event = line.slice(7);
            } else if (line.indexOf("data: ") === 0) {
              data += line.slice(6);
            }
          });
          if (data) {
            handle(event, JSON.parse(data));
          }
        });
        return step.done ? null : pump();
      });
    }
    return pump();
  }

  function finish() {
    submit.disabled = false;
    submit.removeAttribute("aria-busy");
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    showFieldErrors(null);
    var upgrade = document.getElementById("studio-upgrade");
    if (upgrade) {
      upgrade.hidden = true;
    }
    submit.disabled = true;
    submit.setAttribute("aria-busy", "true");
    post(root.dataset.streamUrl, new FormData(form))
      .then(function (response) {
        if (!response.ok) {
          return response.json().then(function (body) {
            var error = body.error || {};
            showFieldErrors(error.details || { __all__: [error.message] });
          });
        }
        return readEvents(response);
      })
      .catch(function () {
        toast({ title: "The connection dropped", body: "Nothing was saved. Try again.", kind: "error" });
      })
      .then(finish);
  });

  function saveDraft(card) {
    var button = part(card, ".preview-save");
    var data = new FormData();
    data.append("content", part(card, ".preview-text").value);
    data.append("platform", card.dataset.platform);
    ["tone", "audience", "language", "brand"].forEach(function (name) {
      var field = form.elements.namedItem(name);
      data.append(name, field ? field.value : "");
    });
    data.append("provider", card.dataset.provider || "");
    if (card.dataset.postId) {
      data.append("post_id", card.dataset.postId);
    }
    var when = part(card, ".preview-when").value;
    if (when) {
      data.append("scheduled_at", new Date(when).toISOString());
    }
    button.disabled = true;
    post(root.dataset.saveUrl, data)
      .then(function (response) {
        return response.json().then(function (body) {
          return { ok: response.ok, body: body };
        });
      })
      .then(function (result) {
        if (!result.ok) {
          var error = result.body.error || {};
          var details = error.details || {};
          var first = Object.keys(details).map(function (k) {
            return [].concat(details[k]).join(" ");
          })[0];
          part(card, ".preview-error").textContent = first || error.message;
          return;
        }
        card.dataset.postId = result.body.post.id;
        part(card, ".preview-error").textContent = "";
        part(card, ".preview-save-label").textContent = "Saved · update draft";
        toast({ title: "Draft saved", body: "Find it in your posts.", kind: "success", url: root.dataset.postsUrl });
      })
      .catch(function () {
        part(card, ".preview-error").textContent = "Could not save: the connection dropped.";
      })
      .then(function () {
        button.disabled = false;
      });
  }

  var initial = results.querySelector("[data-initial-platform]");
  if (initial) {
    var card = cardFor(initial.dataset.initialPlatform);
    part(card, ".preview-text").value = initial.dataset.initialContent;
    part(card, ".preview-provider").textContent = "Saved post";
    card.dataset.postId = results.dataset.postId;
    part(card, ".preview-save-label").textContent = "Update draft";
    progress(card, "");
    requestCount(card);
  }
})();
