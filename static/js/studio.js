/*
 * The composer: streams a draft per platform as it is written (fetch + ReadableStream over
 * server-sent events); after every edit asks the server (debounced) for the live checks, hints,
 * engagement score, hashtags and the platform's post card, so nothing on the card goes stale; then
 * saves, submits for approval, publishes, schedules, queues or repeats the draft.
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
    part(card, ".preview-repeat-label").setAttribute("for", "preview-repeat-" + cardSeq);
    part(card, ".preview-repeat").id = "preview-repeat-" + cardSeq;
    part(card, ".preview-first-comment").id = "preview-first-comment-" + cardSeq;
    part(card, ".preview-comment-label").setAttribute("for", "preview-first-comment-" + cardSeq);
    part(card, ".preview-first-comment").addEventListener("input", function () {
      scheduleChecks(card);
    });
    window.ComposerMedia.setup(card, cardSeq, function () {
      scheduleChecks(card);
    });
    part(card, ".assist-language").id = "assist-language-" + cardSeq;
    part(card, ".assist-language-label").setAttribute("for", "assist-language-" + cardSeq);
    text.addEventListener("input", function () {
      scheduleChecks(card);
    });
    part(card, ".preview-save").addEventListener("click", function () {
      saveDraft(card);
    });
    card.querySelectorAll(".composer-action").forEach(function (button) {
      button.addEventListener("click", function () {
        runAction(card, button.dataset.action);
      });
    });
    part(card, ".pv-see-more").addEventListener("click", function () {
      part(card, ".pv-more").hidden = false;
      part(card, ".pv-see-more").hidden = true;
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

  function tickedAccounts(card) {
    return Array.prototype.map.call(card.querySelectorAll('input[name="account_ids"]:checked'), function (box) {
      return box.value;
    });
  }

  function setEnabled(card, check) {
    var reason = part(card, ".save-reason");
    var save = part(card, ".preview-save");
    var text = part(card, ".preview-text").value;
    var saveReason = check ? (check.canSave ? "" : check.saveReason) : "";
    var publishReason = check ? (check.canPublish ? "" : check.publishReason) : "";
    if (!text.trim()) {
      saveReason = saveReason || root.dataset.labelWriteFirst;
    }
    save.disabled = !!saveReason;
    save.title = saveReason;
    card.querySelectorAll(".composer-action").forEach(function (button) {
      var why = saveReason;
      if (!why && button.hasAttribute("data-needs-accounts")) {
        why = tickedAccounts(card).length ? publishReason : root.dataset.labelPickAccount;
      }
      button.disabled = !!why;
      button.title = why;
    });
    reason.textContent = saveReason || publishReason;
    reason.hidden = !(saveReason || publishReason);
  }

  function applyChecks(card, check) {
    card.lastCheck = check;
    setCounter(card, check.count, check.limit);
    window.ComposerCard.accounts(card, check.accounts, cardSeq, function () {
      scheduleChecks(card);
    });
    window.ComposerCard.issues(card, check.issues);
    window.ComposerCard.hints(card, check.engagement);
    window.ComposerCard.hashtags(card, check.hashtags);
    window.ComposerCard.moderation(card, check.moderation);
    window.ComposerCard.preview(card, check.preview);
    window.ComposerMedia.preview(card, check.preview.media);
    setEnabled(card, check);
    card.dataset.checked = String(Number(card.dataset.checked || "0") + 1);
  }

  function requestChecks(card) {
    var data = new FormData();
    data.append("text", part(card, ".preview-text").value);
    data.append("platform", card.dataset.platform);
    data.append("first_comment", part(card, ".preview-first-comment").value);
    tickedAccounts(card).forEach(function (id) {
      data.append("account_ids", id);
    });
    window.ComposerMedia.ids(card).forEach(function (id) {
      data.append("media_ids", id);
    });
    var seq = (card.checkSeq || 0) + 1;
    card.checkSeq = seq;
    return post(root.dataset.checksUrl, data)
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (body) {
        if (body && body.success && seq === card.checkSeq) {
          applyChecks(card, body); // an older answer never overwrites a newer one
        }
      })
      .catch(function () {});
  }

  function scheduleChecks(card) {
    var key = card.dataset.platform;
    setEnabled(card, card.lastCheck);
    clearTimeout(countTimers[key]);
    countTimers[key] = setTimeout(function () {
      requestChecks(card);
    }, 350);
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
      window.ComposerCard.hints(card, data.engagement);
      window.ComposerCard.hashtags(card, data.hashtags);
      window.ComposerCard.moderation(card, data.moderation);
      showNotes(card, data);
      progress(card, "");
      requestChecks(card);
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
    data.append("first_comment", part(card, ".preview-first-comment").value);
    if (card.dataset.postId) {
      data.append("post_id", card.dataset.postId);
    }
    // Only an opt-in is sent: saving with the toggle off leaves a post's existing tracking as it is.
    var track = form.elements.namedItem("track_links");
    if (track && track.checked) {
      data.append("track_links", "on");
      data.append("link_campaign", form.elements.namedItem("link_campaign").value);
    }
    var when = part(card, ".preview-when").value;
    if (when) {
      data.append("scheduled_at", when);
    }
    button.disabled = true;
    return post(root.dataset.saveUrl, data)
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
          return null;
        }
        card.dataset.postId = result.body.post.id; // saved: a failed media step must not save it twice
        return window.ComposerMedia.attach(card, result.body.post.id);
      })
      .then(function (postId) {
        if (!postId) {
          return null;
        }
        part(card, ".preview-error").textContent = "";
        part(card, ".preview-save-label").textContent = "Saved · update draft";
        toast({ title: "Draft saved", body: "Find it in your posts.", kind: "success", url: root.dataset.postsUrl });
        return postId;
      })
      .catch(function () {
        part(card, ".preview-error").textContent = "Could not save: the connection dropped.";
        return null;
      })
      .then(function (postId) {
        setEnabled(card, card.lastCheck);
        return postId;
      });
  }

  // Submit, publish, schedule, queue or repeat: save first, then post a real form so the
  // post page shows the outcome (and the browser's back button still works).
  function runAction(card, action) {
    var when = part(card, ".preview-when").value;
    var rule = part(card, ".preview-repeat").value;
    if (action === "schedule" && rule) {
      action = "repeat";
    }
    if ((action === "schedule" || action === "repeat") && !when) {
      part(card, ".preview-error").textContent = root.dataset.labelPickTime;
      return;
    }
    saveDraft(card).then(function (postId) {
      if (!postId) {
        return;
      }
      var urls = {
        submit: root.dataset.submitUrl,
        publish: root.dataset.publishUrl,
        schedule: root.dataset.scheduleUrl,
        queue: root.dataset.scheduleUrl,
        repeat: root.dataset.repeatUrl,
      };
      var target = document.createElement("form");
      target.method = "post";
      target.action = urls[action].replace("00000000-0000-0000-0000-000000000000", postId);
      var fields = { csrfmiddlewaretoken: csrfToken() };
      if (action !== "submit") {
        fields.when = when;
      }
      if (action === "queue") {
        fields.queue = "1";
      }
      if (action === "repeat") {
        fields.rrule = rule;
      }
      Object.keys(fields).forEach(function (name) {
        var input = document.createElement("input");
        input.type = "hidden";
        input.name = name;
        input.value = fields[name];
        target.appendChild(input);
      });
      if (action !== "submit") {
        tickedAccounts(card).forEach(function (id) {
          var input = document.createElement("input");
          input.type = "hidden";
          input.name = "account_ids";
          input.value = id;
          target.appendChild(input);
        });
      }
      document.body.appendChild(target);
      target.submit();
    });
  }

  // The picked brand's default hashtags: shown under the select, added to a text written by hand
  // (an AI draft gets them from the writer).
  function brandHashtags() {
    var brand = form.elements.namedItem("brand");
    var item = brand && brand.value ? form.querySelector('.brand-defaults [data-brand-id="' + brand.value + '"]') : null;
    return item && item.dataset.hashtags ? item.dataset.hashtags.split(" ") : [];
  }

  function showBrandHashtags() {
    var hint = form.querySelector(".brand-hashtags-hint");
    var tags = brandHashtags();
    if (hint) {
      hint.textContent = tags.join(" ");
      hint.hidden = tags.length === 0;
    }
  }

  var brandSelect = form.elements.namedItem("brand");
  if (brandSelect) {
    brandSelect.addEventListener("change", showBrandHashtags);
    showBrandHashtags();
  }

  function withBrandHashtags(text) {
    var have = text.toLowerCase();
    var missing = brandHashtags().filter(function (tag) {
      return have.indexOf(tag.toLowerCase()) === -1;
    });
    return missing.length ? (text ? text + "\n\n" : "") + missing.join(" ") : text;
  }

  // Own text instead of an AI draft: one card per ticked platform, the topic as its text.
  var writeOwn = form.querySelector('[data-testid="write-own"]');
  if (writeOwn) {
    writeOwn.addEventListener("click", function () {
      var ticked = form.querySelectorAll('input[name="platforms"]:checked');
      var topic = form.elements.namedItem("topic");
      Array.prototype.forEach.call(ticked, function (input) {
        var card = cardFor(input.value);
        var editor = part(card, ".preview-text");
        if (!editor.value) {
          editor.value = withBrandHashtags(topic ? topic.value.trim() : "");
        }
        part(card, ".preview-provider").textContent = "Your text";
        progress(card, "");
        requestChecks(card);
      });
    });
  }

  var initial = results.querySelector("[data-initial-platform]");
  if (initial) {
    var card = cardFor(initial.dataset.initialPlatform);
    part(card, ".preview-text").value = initial.dataset.initialContent;
    part(card, ".preview-first-comment").value = initial.dataset.initialFirstComment || "";
    part(card, ".preview-provider").textContent = "Saved post";
    card.dataset.postId = results.dataset.postId;
    part(card, ".preview-save-label").textContent = "Update draft";
    progress(card, "");
    requestChecks(card);
  }
})();
