// API tokens: the new secret's Copy button (without the script, the field is selected to copy).
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
          if (status) { status.textContent = "Copied. Keep it safe: this page will not show it again."; }
        } catch (error) {
          input.select();
          if (status) { status.textContent = "Select the token and copy it (Ctrl+C or ⌘C)."; }
        }
      });
    });
  });
})();
