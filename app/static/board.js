// The project board: drag and drop (SortableJS), arrow keys on a focused card, and the card's
// Move buttons, all through one POST that answers JSON. Without this script the buttons are
// plain forms and the board works the same, one page load per move.
(function () {
  "use strict";

  function columnOf(card) { return card.closest(".board-cards"); }

  function cardsIn(list) { return Array.prototype.slice.call(list.querySelectorAll(":scope > .board-card")); }

  // The sentences people hear are written by the page, translated (data-msg-* on the board,
  // templates/board/show.html), with {title}, {column} and the like for the script to fill.
  function message(board, name, values) {
    const text = board.dataset[name] || "";
    return text.replace(/\{(\w+)\}/g, function (whole, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? String(values[key]) : whole;
    });
  }

  function say(text) {
    const live = document.getElementById("board-announce");
    if (!live) { return; }
    live.textContent = "";
    // A fresh text node, so screen readers announce the same sentence twice in a row too.
    window.setTimeout(function () { live.textContent = text; }, 50);
  }

  // Show each card the buttons that make sense where it now is (no Up at the top, no "To" its
  // own column), as the server draws them.
  function refreshButtons(board) {
    board.querySelectorAll(".board-cards").forEach(function (list) {
      const cards = cardsIn(list);
      cards.forEach(function (card, index) {
        card.querySelectorAll("form[data-move]").forEach(function (form) {
          const kind = form.dataset.move;
          const status = form.querySelector("input[name=status]").value;
          form.hidden = (kind === "up" && index === 0) || (kind === "down" && index === cards.length - 1) ||
            (kind === "to" && status === list.dataset.status);
        });
      });
    });
  }

  function recount(board) {
    board.querySelectorAll(".board-column").forEach(function (column) {
      const list = column.querySelector(".board-cards");
      const count = column.querySelector("[data-count]");
      if (!list || !count) { return; }
      const before = Number(count.dataset.shown || cardsIn(list).length);
      const now = cardsIn(list).length;
      count.textContent = String(Number(count.textContent) + now - before);
      count.dataset.shown = String(now);
    });
  }

  // Tell the server where the card is now: its column and the cards above and below it.
  async function save(board, card, from) {
    const list = columnOf(card);
    const siblings = cardsIn(list);
    const index = siblings.indexOf(card);
    const body = new FormData();
    body.append("csrf_token", board.dataset.csrf);
    body.append("status", list.dataset.status);
    if (index > 0) { body.append("above", siblings[index - 1].dataset.taskId); }
    if (index < siblings.length - 1) { body.append("below", siblings[index + 1].dataset.taskId); }
    recount(board);
    refreshButtons(board);
    try {
      const response = await fetch(card.dataset.moveUrl, {
        method: "POST", body: body, headers: { Accept: "application/json" }, credentials: "same-origin"
      });
      const answer = await response.json();
      if (!response.ok) { throw new Error(answer.error || message(board, "msgNotSaved", {})); }
      say(message(board, list === from ? "msgMovedWithin" : "msgMovedTo", {
        title: card.dataset.title, column: list.dataset.label, position: index + 1, count: siblings.length
      }));
      card.dataset.saved = "true";
    } catch (error) {
      say(message(board, "msgReload", { error: String(error.message || error) }));
      window.setTimeout(function () { window.location.reload(); }, 1500);
    }
  }

  // Keys and buttons: the same moves as dragging, done on the page, then saved.
  function moveBy(board, card, columns, rows) {
    const list = columnOf(card);
    if (columns !== 0) {
      const lists = Array.prototype.slice.call(board.querySelectorAll(".board-cards"));
      const target = lists[lists.indexOf(list) + columns];
      if (!target) { say(message(board, columns < 0 ? "msgFirstColumn" : "msgLastColumn", { title: card.dataset.title })); return; }
      target.insertBefore(card, target.firstElementChild);
    } else {
      const siblings = cardsIn(list);
      const index = siblings.indexOf(card);
      const next = index + rows;
      if (next < 0 || next >= siblings.length) { say(message(board, rows < 0 ? "msgTop" : "msgBottom", { title: card.dataset.title })); return; }
      if (rows < 0) { list.insertBefore(card, siblings[next]); } else { list.insertBefore(card, siblings[next].nextElementSibling); }
    }
    card.focus();
    save(board, card, list);
  }

  function moveTo(board, card, status) {
    const target = board.querySelector('.board-cards[data-status="' + status + '"]');
    if (!target) { return; }
    const from = columnOf(card);
    target.insertBefore(card, target.firstElementChild);
    card.focus();
    save(board, card, from);
  }

  const KEYS = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };

  function setUp(board) {
    board.querySelectorAll("[data-count]").forEach(function (count) {
      count.dataset.shown = String(cardsIn(count.closest(".board-column").querySelector(".board-cards")).length);
    });
    board.querySelectorAll(".board-cards").forEach(function (list) {
      window.Sortable.create(list, {
        group: "board",
        animation: 150,
        draggable: ".board-card",
        filter: "details, button, select, input",
        preventOnFilter: false,
        forceFallback: true,
        delay: 200,
        delayOnTouchOnly: true,
        onEnd: function (event) {
          if (event.from === event.to && event.oldIndex === event.newIndex) { return; }
          save(board, event.item, event.from);
        }
      });
    });
    board.addEventListener("keydown", function (event) {
      const card = event.target;
      if (!card.classList || !card.classList.contains("board-card") || !KEYS[event.key]) { return; }
      event.preventDefault();
      moveBy(board, card, KEYS[event.key][0], KEYS[event.key][1]);
    });
    // The no-script buttons, done in place: the page's order is the truth, not the one
    // the buttons were drawn with.
    board.addEventListener("submit", function (event) {
      const form = event.target;
      const card = form.closest(".board-card");
      if (!card || !form.dataset.move) { return; }
      event.preventDefault();
      form.closest("details").open = false;
      if (form.dataset.move === "up") { moveBy(board, card, 0, -1); }
      else if (form.dataset.move === "down") { moveBy(board, card, 0, 1); }
      else { moveTo(board, card, form.querySelector("input[name=status]").value); }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (!window.Sortable) { return; }
    document.querySelectorAll("[data-board]").forEach(setUp);
  });
})();
