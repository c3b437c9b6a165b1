// Label colors travel as data attributes (the Content-Security-Policy forbids style
// attributes). Browsers with typed CSS attr() paint them from the stylesheet; this sets them
// through the CSSOM, which the policy allows, for the others.
function paintLabels(root) {
  for (const element of root.querySelectorAll("[data-bg]")) {
    element.style.backgroundColor = element.dataset.bg;
    if (element.dataset.fg) element.style.color = element.dataset.fg;
  }
}
paintLabels(document);

// Picking a custom color selects the "Custom" choice beside it (without script, select it by hand).
document.addEventListener("input", (event) => {
  const picker = event.target.closest("input[data-custom-for]");
  if (!picker) return;
  const radio = document.getElementById(picker.dataset.customFor);
  if (radio) radio.checked = true;
});
