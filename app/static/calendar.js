// Calendar: drag a task to another day, or move it with Alt+arrow keys; both submit the task's
// own "Move to…" form, which is what works without this script. And the feed URL's Copy button.
(function () {
  "use strict";

  function moveTo(task, isoDay) {
    const form = task.querySelector(".cal-move-form");
    if (!form || !isoDay || isoDay === task.dataset.day) { return; }
    form.querySelector("input[name=day]").value = isoDay;
    task.classList.add("is-moving");
    form.requestSubmit();
  }

  function shiftDay(isoDay, days) {
    const [year, month, day] = isoDay.split("-").map(Number);
    const moved = new Date(Date.UTC(year, month - 1, day + days));
    return moved.toISOString().slice(0, 10);
  }

  function enableDragAndDrop(calendar) {
    let dragged = null;
    calendar.addEventListener("dragstart", function (event) {
      dragged = event.target.closest(".cal-task");
      if (!dragged) { return; }
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", dragged.dataset.taskId);
      dragged.classList.add("is-dragging");
    });
    calendar.addEventListener("dragend", function () {
      if (dragged) { dragged.classList.remove("is-dragging"); }
      calendar.querySelectorAll(".is-drop-target").forEach(function (day) { day.classList.remove("is-drop-target"); });
    });
    calendar.addEventListener("dragover", function (event) {
      const day = event.target.closest(".cal-day");
      if (!day || !dragged) { return; }
      event.preventDefault();
      event.dataTransfer.dropEffect = "move";
      calendar.querySelectorAll(".is-drop-target").forEach(function (other) {
        if (other !== day) { other.classList.remove("is-drop-target"); }
      });
      day.classList.add("is-drop-target");
    });
    calendar.addEventListener("drop", function (event) {
      const day = event.target.closest(".cal-day");
      if (!day || !dragged) { return; }
      event.preventDefault();
      moveTo(dragged, day.dataset.date);
    });
  }

  // Alt+Left/Right: a day earlier or later; Alt+Up/Down: a week.
  const KEY_DAYS = { ArrowLeft: -1, ArrowRight: 1, ArrowUp: -7, ArrowDown: 7 };

  function enableKeyboardMoves(calendar) {
    calendar.addEventListener("keydown", function (event) {
      if (!event.altKey || !(event.key in KEY_DAYS)) { return; }
      const link = event.target.closest(".cal-task-link");
      if (!link) { return; }
      event.preventDefault();
      const task = link.closest(".cal-task");
      moveTo(task, shiftDay(task.dataset.day, KEY_DAYS[event.key]));
    });
  }

  function focusMovedTask() {
    const id = window.location.hash.slice(1);
    if (!/^task-\d+$/.test(id)) { return; }
    const link = document.querySelector("#" + id + " .cal-task-link");
    if (link) { link.focus(); }
  }

  function enableCopyButtons() {
    document.querySelectorAll("[data-copy]").forEach(function (button) {
      const input = document.getElementById(button.dataset.copy);
      if (!input || !navigator.clipboard) { return; }
      button.hidden = false;
      button.addEventListener("click", async function () {
        const status = document.querySelector("[data-copy-status]");
        try {
          await navigator.clipboard.writeText(input.value);
          if (status) { status.textContent = "Copied."; }
        } catch (error) {
          input.select();
          if (status) { status.textContent = "Select the URL and copy it (Ctrl+C or ⌘C)."; }
        }
      });
    });
    document.querySelectorAll(".cal-feed-url input").forEach(function (input) {
      input.addEventListener("focus", function () { input.select(); });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".cal").forEach(function (calendar) {
      enableDragAndDrop(calendar);
      enableKeyboardMoves(calendar);
    });
    enableCopyButtons();
  });
  // After the browser's own jump to the #task-… fragment, which would otherwise take focus back.
  window.addEventListener("load", focusMovedTask);
})();
