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

// The text color on a label's color: the same WCAG rule as app/labels/colors.py (dark or
// white, whichever contrasts more), for the custom color's preview before it is saved.
function luminance(hex) {
  const channel = (i) => {
    const v = parseInt(hex.slice(i, i + 2), 16) / 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
}
function textColorOn(hex) {
  const ratio = (a, b) => (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
  const background = luminance(hex);
  return ratio(background, 1) >= ratio(background, luminance("#111111")) ? "#ffffff" : "#111111";
}

// Picking a custom color selects the "Custom" choice beside it (without script, select it by
// hand) and shows it as a chip, in the text color it will get.
document.addEventListener("input", (event) => {
  const picker = event.target.closest("input[data-custom-for]");
  if (!picker) return;
  const radio = document.getElementById(picker.dataset.customFor);
  if (radio) radio.checked = true;
  const preview = document.getElementById(picker.dataset.preview);
  if (preview) {
    preview.dataset.bg = picker.value;
    preview.dataset.fg = textColorOn(picker.value);
    preview.textContent = picker.value;
    paintLabels(preview.parentElement);
  }
});
