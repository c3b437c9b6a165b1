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

  // An export's progress bar: poll its status until the worker is done, then show the link.
  function pollExport(section) {
    if (section.dataset.exportStatus !== "queued" && section.dataset.exportStatus !== "running") { return; }
    const bar = section.querySelector("progress");
    const timer = setInterval(async function () {
      try {
        const response = await fetch(section.dataset.exportPollUrl, { headers: { Accept: "application/json" } });
        const body = await response.json();
        section.querySelector("[data-export-label]").textContent = body.label;
        if (bar) { bar.value = body.percent; bar.textContent = body.percent + "%"; }
        const percent = section.querySelector("[data-export-percent]");
        if (percent) { percent.textContent = body.percent + "%"; }
        const rows = section.querySelector("[data-export-rows]");
        // The server words the progress line in the person's language (plural rules included).
        if (rows && body.progress) { rows.textContent = body.progress; }
        if (body.status === "done" || body.status === "failed" || body.status === "expired") {
          clearInterval(timer);
          window.location.reload();
        }
      } catch (error) { /* the next tick tries again */ }
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

  // A recurring task's form shows only the details of the chosen repeat.
  function toggleRepeatDetails(form) {
    const parts = { weekly: ".repeat-weekly", monthly: ".repeat-monthly", custom: ".repeat-custom" };
    const update = function () {
      const chosen = form.querySelector("input[name=frequency]:checked");
      Object.keys(parts).forEach(function (value) {
        const part = form.querySelector(parts[value]);
        if (part) { part.hidden = !chosen || chosen.value !== value; }
      });
    };
    form.querySelectorAll("input[name=frequency]").forEach(function (radio) {
      radio.addEventListener("change", update);
    });
    update();
  }

  // The development mailbox's HTML preview grows to the email's full height, so a long
  // email reads in one scroll of the page (the frame may read its document: same origin, no
  // scripts of its own). Without this script the frame keeps its CSS height and scrolls.
  function fitFrameToContent(frame) {
    const fit = function () {
      const doc = frame.contentDocument;
      if (!doc || !doc.documentElement) { return; }
      frame.style.height = "0px";
      const borders = frame.offsetHeight - frame.clientHeight;
      frame.style.height = doc.documentElement.scrollHeight + borders + "px";
    };
    frame.addEventListener("load", fit);
    window.addEventListener("resize", fit);
    if (frame.contentDocument && frame.contentDocument.readyState === "complete") { fit(); }
  }

  // A filter box above the timezone list: only the zones whose place or region match stay.
  // Without scripts the list still works, and typing a city's name jumps to it.
  function filterZones(select) {
    const box = document.createElement("input");
    box.type = "search";
    // The words come from the page, in its language (app/accounts/forms.py TimezoneField).
    box.placeholder = select.dataset.filterPlaceholder || "";
    box.setAttribute("aria-label", select.dataset.filterLabel || "");
    box.className = "zone-filter";
    select.parentNode.insertBefore(box, select);
    box.addEventListener("input", function () {
      const words = box.value.trim().toLowerCase().replace(/ /g, "_");
      select.querySelectorAll("optgroup").forEach(function (group) {
        let shown = 0;
        group.querySelectorAll("option").forEach(function (option) {
          const text = (option.value + " " + option.textContent).toLowerCase().replace(/ /g, "_");
          option.hidden = words !== "" && text.indexOf(words) === -1;
          if (!option.hidden) { shown += 1; }
        });
        group.hidden = shown === 0;
      });
      const chosen = select.options[select.selectedIndex];
      if (chosen && chosen.hidden) {
        const first = select.querySelector("optgroup:not([hidden]) option:not([hidden])");
        if (first) { select.value = first.value; }
      }
    });
  }

  function confirmSubmit(form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.dataset.confirm)) { event.preventDefault(); }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-poll-url]").forEach(pollQueuedStatus);
    document.querySelectorAll("[data-export-poll-url]").forEach(pollExport);
    document.querySelectorAll("form[data-detect-timezone]").forEach(detectTimezone);
    document.querySelectorAll("select[data-zone-picker]").forEach(filterZones);
    document.querySelectorAll("form[data-confirm]").forEach(confirmSubmit);
    document.querySelectorAll("form[data-reminder-form]").forEach(toggleReminderTime);
    document.querySelectorAll("form.recurring-form").forEach(toggleRepeatDetails);
    document.querySelectorAll("iframe[data-fit-content]").forEach(fitFrameToContent);
  });
})();
