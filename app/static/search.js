// Search (issue 19): "/" focuses the top bar's search box (as on GitHub and Gmail) unless the
// person is typing somewhere already; on phones the box's button unfolds the box. Without this
// script the box still submits, and on phones the button opens the search page and its box.
(function () {
  "use strict";
  function typingSomewhere(target) {
    const tag = target && target.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (target && target.isContentEditable);
  }
  function hidden(element) { return element.offsetParent === null; }

  function openBox(form, box) {
    form.classList.add("is-open");
    box.focus();
    box.select();
  }

  document.addEventListener("DOMContentLoaded", function () {
    const form = document.querySelector("form.topsearch");
    if (!form) { return; }
    const box = form.querySelector("input[type=search]");
    const button = form.querySelector("button");
    button.addEventListener("click", function (event) {
      // Folded (a phone): the first press unfolds the box rather than searching for nothing.
      if (hidden(box)) { event.preventDefault(); openBox(form, box); }
    });
    box.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && form.classList.contains("is-open")) {
        form.classList.remove("is-open");
        button.focus();
      }
    });
    document.addEventListener("keydown", function (event) {
      if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey || typingSomewhere(event.target)) { return; }
      event.preventDefault();
      openBox(form, box);
    });
  });
})();
