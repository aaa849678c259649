// Buttons marked data-print open the browser's print dialog; a file, so no inline script is needed.
document.querySelectorAll("[data-print]").forEach((button) => {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
});
