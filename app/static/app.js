// Small progressive enhancements; every page works without them.
(function () {
  "use strict";

  // While the worker applies a queued status change, poll until it shows, then reload.
  function pollQueuedStatus(article) {
    const url = article.dataset.pollUrl;
    const until = article.dataset.pollUntil;
    let tries = 0;
    const timer = setInterval(async function () {
      tries += 1;
      try {
        const response = await fetch(url, { headers: { Accept: "application/json" } });
        const body = await response.json();
        if (body.status === until) {
          clearInterval(timer);
          window.location.replace(window.location.pathname);
        }
      } catch (error) { /* the next tick tries again */ }
      if (tries > 120) { clearInterval(timer); }
    }, 1000);
  }

  // Pre-select the browser's timezone on the registration form.
  function detectTimezone(form) {
    const select = form.querySelector("select[name=timezone]");
    if (!select || select.value !== "UTC") { return; }
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (zone && select.querySelector('option[value="' + CSS.escape(zone) + '"]')) { select.value = zone; }
  }

  // The time field only matters for "At a time I choose".
  function toggleReminderTime(form) {
    const when = form.querySelector("select[name=when]");
    const at = form.querySelector("input[name=at]");
    if (!when || !at) { return; }
    const field = at.closest(".field");
    const update = function () { field.hidden = when.value !== "at"; };
    when.addEventListener("change", update);
    update();
  }

  function confirmSubmit(form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.dataset.confirm)) { event.preventDefault(); }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-poll-url]").forEach(pollQueuedStatus);
    document.querySelectorAll("form[data-detect-timezone]").forEach(detectTimezone);
    document.querySelectorAll("form[data-confirm]").forEach(confirmSubmit);
    document.querySelectorAll("form[data-reminder-form]").forEach(toggleReminderTime);
  });
})();
