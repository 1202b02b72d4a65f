// An account's queue: drag a post to another place in the list; the new order is posted as a form,
// so the page that comes back shows the posts with their new times.
(function () {
  "use strict";

  var list = document.querySelector(".queue-list[data-reorder-url]");
  if (!list) {
    return;
  }
  var dragged = null;

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }

  function submitOrder() {
    var form = document.createElement("form");
    form.method = "post";
    form.action = list.dataset.reorderUrl;
    var token = document.createElement("input");
    token.type = "hidden";
    token.name = "csrfmiddlewaretoken";
    token.value = csrfToken();
    form.appendChild(token);
    list.querySelectorAll(".queue-item").forEach(function (item) {
      var input = document.createElement("input");
      input.type = "hidden";
      input.name = "order";
      input.value = item.dataset.id;
      form.appendChild(input);
    });
    document.body.appendChild(form);
    form.submit();
  }

  list.addEventListener("dragstart", function (event) {
    dragged = event.target.closest(".queue-item");
    if (dragged) {
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", dragged.dataset.id);
      dragged.classList.add("is-dragging");
    }
  });

  list.addEventListener("dragover", function (event) {
    var over = event.target.closest(".queue-item");
    if (!dragged || !over || over === dragged) {
      return;
    }
    event.preventDefault();
    var box = over.getBoundingClientRect();
    var after = event.clientY > box.top + box.height / 2;
    list.insertBefore(dragged, after ? over.nextSibling : over);
  });

  list.addEventListener("drop", function (event) {
    if (dragged) {
      event.preventDefault();
    }
  });

  list.addEventListener("dragend", function () {
    if (!dragged) {
      return;
    }
    dragged.classList.remove("is-dragging");
    dragged = null;
    submitOrder();
  });
})();
