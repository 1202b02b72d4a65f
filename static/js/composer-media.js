/*
 * The composer's media: upload images or a video to a card, remove them, show them in the
 * platform's post card, and make them the saved post's media. The card's live checks carry the
 * media ids, so the platform's media rules (Instagram needs one, X takes four…) show while writing.
 */
(function () {
  "use strict";

  var root = document.querySelector(".studio");
  if (!root) {
    return;
  }

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }

  function post(url, data) {
    return fetch(url, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(), "X-Requested-With": "fetch" },
    });
  }

  function part(card, selector) {
    return card.querySelector(selector);
  }

  function ids(card) {
    return Array.prototype.map.call(card.querySelectorAll('.preview-media input[name="media_ids"]'), function (input) {
      return input.value;
    });
  }

  function addRemoveButton(card, item, onChange) {
    var remove = document.createElement("button");
    remove.type = "button";
    remove.className = "btn btn-link btn-sm p-0 media-remove";
    remove.dataset.testid = "composer-media-remove";
    remove.textContent = root.dataset.labelRemove;
    remove.addEventListener("click", function () {
      item.remove();
      onChange();
    });
    item.appendChild(remove);
  }

  function upload(card, file, onChange) {
    var status = part(card, ".preview-media-status");
    var data = new FormData();
    data.append("file", file);
    status.textContent = root.dataset.labelUploading;
    return post(root.dataset.mediaUploadUrl, data)
      .then(function (response) {
        return response.text().then(function (html) {
          var holder = document.createElement("ul");
          holder.innerHTML = html; // our own partial: a media chip, or the reason it was refused
          var item = holder.querySelector("li");
          if (!response.ok || !item || !item.querySelector('input[name="media_ids"]')) {
            status.textContent = item ? item.textContent.trim() : root.dataset.labelUploadFailed;
            return;
          }
          status.textContent = "";
          addRemoveButton(card, item, onChange);
          part(card, ".preview-media").appendChild(item);
          onChange();
        });
      })
      .catch(function () {
        status.textContent = root.dataset.labelUploadFailed;
      });
  }

  function setup(card, seq, onChange) {
    var input = part(card, ".preview-media-file");
    input.id = "preview-media-file-" + seq;
    part(card, ".preview-media-label").setAttribute("for", input.id);
    input.addEventListener("change", function () {
      var files = Array.prototype.slice.call(input.files || []);
      input.value = "";
      files.reduce(function (chain, file) {
        return chain.then(function () {
          return upload(card, file, onChange);
        });
      }, Promise.resolve());
    });
  }

  // The platform card shows the pictures as the platform lays them out (one, two side by side, a grid).
  function preview(card, media) {
    var box = part(card, ".pv-media");
    box.textContent = "";
    (media || []).slice(0, 4).forEach(function (item) {
      var cell = document.createElement(item.url ? "img" : "span");
      cell.className = "pv-media-item" + (item.kind === "video" ? " pv-media-video" : "");
      if (item.url) {
        cell.src = item.url;
        cell.alt = item.alt || "";
      } else {
        cell.textContent = root.dataset.labelVideo;
      }
      box.appendChild(cell);
    });
    box.className = "pv-media pv-media-" + Math.min((media || []).length, 4);
    box.hidden = !(media || []).length;
  }

  // After the draft is saved: the media on the card become the post's media, in the card's order.
  function attach(card, postId) {
    if (!postId || (!ids(card).length && !card.dataset.mediaSaved)) {
      return Promise.resolve(postId);
    }
    var data = new FormData();
    ids(card).forEach(function (id) {
      data.append("media_ids", id);
    });
    return post(root.dataset.mediaUrl.replace("00000000-0000-0000-0000-000000000000", postId), data)
      .then(function (response) {
        if (!response.ok) {
          return response.json().then(function (body) {
            part(card, ".preview-media-status").textContent = (body.error || {}).message || root.dataset.labelUploadFailed;
            return null;
          });
        }
        card.dataset.mediaSaved = "1";
        return postId;
      })
      .catch(function () {
        part(card, ".preview-media-status").textContent = root.dataset.labelUploadFailed;
        return null;
      });
  }

  window.ComposerMedia = { setup: setup, ids: ids, preview: preview, attach: attach };
})();
