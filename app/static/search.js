// Search (issue 19): "/" focuses the top bar's search box, as on GitHub and Gmail, unless the
// person is typing somewhere already. The box and its page work without this.
(function () {
  "use strict";
  function typingSomewhere(target) {
    const tag = target && target.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (target && target.isContentEditable);
  }
  document.addEventListener("keydown", function (event) {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey || typingSomewhere(event.target)) { return; }
    const box = document.getElementById("topsearch-q");
    if (!box) { return; }
    event.preventDefault();
    box.focus();
    box.select();
  });
})();
