// "Select all on this page": a checkbox that ticks or clears every box of its list. Without
// JavaScript it stays hidden and each box is ticked by hand.
document.querySelectorAll("[data-select-all]").forEach((all) => {
  const boxes = () => document.querySelectorAll(`input[type=checkbox][name="${all.dataset.selectAll}"]`);
  all.closest("[hidden]")?.removeAttribute("hidden");
  all.addEventListener("change", () => {
    boxes().forEach((box) => {
      box.checked = all.checked;
    });
  });
});
