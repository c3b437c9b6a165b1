// Quick add's live preview: as the person types, the server reads the line and this shows its
// preview (a fragment the server rendered) under the box. Without it, Preview opens a page.
(function () {
  "use strict";

  function setUp(form) {
    const box = form.querySelector("input[name=text]");
    const target = form.parentNode.querySelector("[data-quick-add-preview]");
    if (!box || !target) { return; }
    let timer = null;
    let asked = 0;
    box.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(async function () {
        const text = box.value.trim();
        const ticket = ++asked;
        if (!text) { target.innerHTML = ""; return; }
        const query = new URLSearchParams(new FormData(form));
        query.set("fragment", "1");
        try {
          const response = await fetch(form.action + "?" + query.toString(), { credentials: "same-origin" });
          if (!response.ok || ticket !== asked) { return; }
          // Our own server's rendering of the line, escaped there like every page.
          target.innerHTML = await response.text();
        } catch (error) { /* the Preview button still works */ }
      }, 300);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-quick-add]").forEach(setUp);
  });
})();
