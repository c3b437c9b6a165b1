// Picking a custom color selects the "Custom" choice beside it (without script, select it by hand).
document.addEventListener("input", (event) => {
  const picker = event.target.closest("input[data-custom-for]");
  if (!picker) return;
  const radio = document.getElementById(picker.dataset.customFor);
  if (radio) radio.checked = true;
});
