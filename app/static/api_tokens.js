// A Copy button for a secret or address shown once in a field ([data-copy] names the field):
// the API token page and the Mail in tab. Without the script, the field is selected to copy.
// Its words come from the button's data-copied and data-copy-failed (the page's language).
(function () {
  "use strict";

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-copy]").forEach(function (button) {
      const input = document.getElementById(button.dataset.copy);
      if (!input) { return; }
      input.addEventListener("focus", function () { input.select(); });
      if (!navigator.clipboard) { return; }
      button.hidden = false;
      button.addEventListener("click", async function () {
        const status = document.querySelector("[data-copy-status]");
        try {
          await navigator.clipboard.writeText(input.value);
          if (status) { status.textContent = button.dataset.copied || ""; }
        } catch (error) {
          input.select();
          if (status) { status.textContent = button.dataset.copyFailed || ""; }
        }
      });
    });
  });
})();
