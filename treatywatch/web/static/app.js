// treatywatch review shortcuts. Loaded as a file (the CSP forbids inline script).
// j/k move between claims, a accept, r reject, c open the correction form, x toggle selection.
(function () {
  "use strict";
  var current = -1;

  function items() { return Array.prototype.slice.call(document.querySelectorAll(".review-item")); }

  function focusItem(index) {
    var list = items();
    if (!list.length) { return; }
    current = Math.max(0, Math.min(index, list.length - 1));
    list.forEach(function (el, i) { el.classList.toggle("current", i === current); });
    list[current].focus();
    list[current].scrollIntoView({ block: "nearest" });
  }

  function press(key) {
    var list = items();
    if (current < 0 || current >= list.length) { return; }
    var item = list[current];
    if (key === "x") {
      var box = item.querySelector("input[type=checkbox]");
      if (box) { box.checked = !box.checked; }
      return;
    }
    if (key === "c") {
      var details = item.querySelector("details.correct");
      if (details) { details.open = true; var first = details.querySelector("input[name^=c_]"); if (first) { first.focus(); } }
      return;
    }
    var button = item.querySelector("button[data-key='" + key + "']");
    if (button) { button.click(); }
  }

  function typing(target) {
    var tag = (target.tagName || "").toLowerCase();
    return tag === "input" || tag === "textarea" || tag === "select" || target.isContentEditable;
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) { return; }
    if (!items().length) { return; }
    if (event.key === "j") { focusItem(current + 1); event.preventDefault(); }
    else if (event.key === "k") { focusItem(current - 1); event.preventDefault(); }
    else if (["a", "r", "c", "x"].indexOf(event.key) >= 0) {
      if (current < 0) { focusItem(0); }
      press(event.key);
      event.preventDefault();
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
    var all = document.getElementById("select-all");
    if (all) {
      all.addEventListener("click", function () {
        var boxes = document.querySelectorAll(".review-item input[type=checkbox]");
        var anyUnchecked = Array.prototype.some.call(boxes, function (b) { return !b.checked; });
        boxes.forEach(function (b) { b.checked = anyUnchecked; });
      });
    }
  });
})();
