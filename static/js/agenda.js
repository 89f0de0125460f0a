// Drag-and-drop reordering of the agenda. Without JavaScript the ↑/↓ buttons post forms;
// with it, items can be dragged (or moved with the buttons without a page reload).
(function () {
  "use strict";
  var list = document.querySelector(".agenda-list[data-reorder-url]");
  if (!list) { return; }
  var status = document.getElementById("agenda-status");
  var dragged = null;

  function items() { return Array.prototype.slice.call(list.querySelectorAll(".agenda-item")); }

  function refreshButtons() {
    var all = items();
    all.forEach(function (li, index) {
      var up = li.querySelector("button[value=up]");
      var down = li.querySelector("button[value=down]");
      if (up) { up.disabled = index === 0; }
      if (down) { down.disabled = index === all.length - 1; }
    });
  }

  function save() {
    var body = new URLSearchParams();
    body.append("order", items().map(function (li) { return li.dataset.pk; }).join(","));
    return fetch(list.dataset.reorderUrl, {
      method: "POST",
      headers: { "X-CSRFToken": list.dataset.csrf, "Accept": "application/json" },
      body: body,
      credentials: "same-origin"
    }).then(function (response) { return response.json(); }).then(function (data) {
      if (status) { status.textContent = data.message || data.error || ""; }
      if (!data.ok) { window.location.reload(); }
    }).catch(function () { window.location.reload(); });
  }

  items().forEach(function (li) {
    li.setAttribute("draggable", "true");
    li.classList.add("draggable");
    var handle = li.querySelector(".drag-handle");
    if (handle) { handle.classList.remove("d-none"); }
    li.addEventListener("dragstart", function (event) {
      dragged = li;
      li.classList.add("dragging");
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", li.dataset.pk);
    });
    li.addEventListener("dragend", function () {
      li.classList.remove("dragging");
      dragged = null;
      refreshButtons();
      save();
    });
    li.addEventListener("dragover", function (event) {
      event.preventDefault();
      if (!dragged || dragged === li) { return; }
      var rect = li.getBoundingClientRect();
      var after = event.clientY > rect.top + rect.height / 2;
      list.insertBefore(dragged, after ? li.nextSibling : li);
    });
    li.querySelectorAll(".move-form button").forEach(function (button) {
      button.addEventListener("click", function (event) {
        event.preventDefault();
        if (button.value === "up" && li.previousElementSibling) {
          list.insertBefore(li, li.previousElementSibling);
        } else if (button.value === "down" && li.nextElementSibling) {
          list.insertBefore(li.nextElementSibling, li);
        }
        refreshButtons();
        // Keep the keyboard user on the item: when the arrow just used became disabled
        // (the item reached the top or bottom), move focus to the other arrow.
        var other = li.querySelector("button[value=" + (button.value === "up" ? "down" : "up") + "]");
        (button.disabled && other && !other.disabled ? other : button).focus();
        save();
      });
    });
  });
})();
