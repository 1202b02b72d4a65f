/*
 * The composer's AI actions on a card's current draft: optimise, suggest hashtags, variants and
 * translate. The answer is shown beside the draft; "Use this" puts it in the editor (which runs the
 * live checks again), a translation can be saved as a new draft in that language.
 */
(function () {
  "use strict";

  // Django's JavaScript catalog (/jsi18n/, loaded before this script) translates into the page's language.
  var gettext = window.gettext || function (text) { return text; };

  var root = document.querySelector(".studio");
  var results = document.getElementById("studio-results");
  var form = document.getElementById("studio-form");
  if (!root || !results || !root.dataset.assistUrl) {
    return;
  }

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }

  function send(url, data) {
    return fetch(url, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(), "X-Requested-With": "fetch" },
    }).then(function (response) {
      return response.json().then(function (body) {
        return { ok: response.ok, body: body };
      });
    });
  }

  function part(card, selector) {
    return card.querySelector(selector);
  }

  function button(label, testid, onClick) {
    var node = document.createElement("button");
    node.type = "button";
    node.className = "btn btn-sm btn-outline-primary";
    node.textContent = label;
    node.setAttribute("data-testid", testid);
    node.addEventListener("click", onClick);
    return node;
  }

  function useText(card, text) {
    var editor = part(card, ".preview-text");
    editor.value = text;
    editor.dispatchEvent(new Event("input", { bubbles: true }));
  }

  function formValue(name) {
    var field = form.elements.namedItem(name);
    return field ? field.value : "";
  }

  function saveAsLanguage(card, text, language, node) {
    var data = new FormData();
    data.append("content", text);
    data.append("platform", card.dataset.platform);
    data.append("language", language);
    ["tone", "audience", "brand"].forEach(function (name) {
      data.append(name, formValue(name));
    });
    node.disabled = true;
    send(root.dataset.saveUrl, data).then(function (result) {
      var box = part(card, ".assist-choices");
      var note = document.createElement("span");
      note.className = "small";
      if (result.ok) {
        var link = document.createElement("a");
        link.href = result.body.post.editUrl;
        link.textContent = root.dataset.labelSavedLanguage;
        link.setAttribute("data-testid", "assist-saved-link");
        note.appendChild(link);
      } else {
        note.className = "small text-danger";
        note.textContent = (result.body.error || {}).message || "";
        node.disabled = false;
      }
      box.appendChild(note);
    });
  }

  function show(card, action, body, language) {
    var output = part(card, ".assist-output");
    var choices = part(card, ".assist-choices");
    output.textContent = "";
    choices.textContent = "";
    output.removeAttribute("dir");
    if (action === "hashtags") {
      part(card, ".assist-title").textContent = root.dataset.labelHashtags;
      output.textContent = body.hashtags.join(" ");
      choices.appendChild(
        button(root.dataset.labelAddTags, "assist-use", function () {
          var current = part(card, ".preview-text").value;
          var have = current.toLowerCase();
          var extra = body.hashtags.filter(function (tag) {
            return have.indexOf(tag.toLowerCase()) === -1;
          });
          useText(card, extra.length ? current.replace(/\s+$/, "") + "\n\n" + extra.join(" ") : current);
        })
      );
      return;
    }
    if (action === "variants") {
      part(card, ".assist-title").textContent = root.dataset.labelVariant;
      body.variants.forEach(function (variant, index) {
        var item = document.createElement("div");
        item.className = "assist-variant mb-2";
        item.setAttribute("data-testid", "assist-variant");
        var text = document.createElement("p");
        text.className = "mb-1";
        text.textContent = variant.text;
        item.appendChild(text);
        item.appendChild(
          button(root.dataset.labelUse + " (" + (index + 1) + ")", "assist-use", function () {
            useText(card, variant.text);
          })
        );
        output.appendChild(item);
      });
      return;
    }
    part(card, ".assist-title").textContent =
      action === "translate" ? root.dataset.labelTranslated + " · " + language : root.dataset.labelOptimized;
    output.textContent = body.text;
    if (body.direction) {
      output.setAttribute("dir", body.direction);
    }
    choices.appendChild(
      button(root.dataset.labelUse, "assist-use", function () {
        useText(card, body.text);
      })
    );
    if (action === "translate") {
      var save = button(root.dataset.labelNewLanguage, "assist-save-language", function () {
        saveAsLanguage(card, body.text, language, save);
      });
      choices.appendChild(save);
    }
  }

  results.addEventListener("click", function (event) {
    var trigger = event.target.closest(".assist-action");
    if (!trigger) {
      return;
    }
    var card = trigger.closest(".preview-card");
    var action = trigger.dataset.assist;
    var language = part(card, ".assist-language").value;
    var data = new FormData();
    data.append("action", action);
    data.append("text", part(card, ".preview-text").value);
    data.append("platform", card.dataset.platform);
    data.append("target_language", language);
    ["language", "tone", "audience", "brand"].forEach(function (name) {
      data.append(name, formValue(name));
    });
    var box = part(card, ".assist-result");
    box.hidden = false;
    part(card, ".assist-original").textContent = part(card, ".preview-text").value;
    part(card, ".assist-progress").hidden = false;
    part(card, ".assist-output").textContent = "";
    part(card, ".assist-choices").textContent = "";
    trigger.disabled = true;
    send(root.dataset.assistUrl, data)
      .then(function (result) {
        if (!result.ok) {
          part(card, ".assist-output").textContent = (result.body.error || {}).message || "";
          return;
        }
        show(card, action, result.body, language);
      })
      .catch(function () {
        part(card, ".assist-output").textContent = gettext("The connection dropped.");
      })
      .then(function () {
        part(card, ".assist-progress").hidden = true;
        trigger.disabled = false;
      });
  });
})();
