// Progressive enhancement only: every page works without this file.
document.addEventListener("DOMContentLoaded", function () {
  // Questions that apply only when a box is ticked (detained, in proceedings...), or when
  // a select holds one of the listed values (parole or TPS: its end date).
  document.querySelectorAll("[data-show-if]").forEach(function (block) {
    var box = document.getElementById(block.dataset.showIf);
    if (!box) { return; }
    var values = (block.dataset.showValues || "").split(" ").filter(Boolean);
    var sync = function () {
      block.hidden = values.length ? values.indexOf(box.value) < 0 : !box.checked;
    };
    box.addEventListener("change", sync);
    sync();
  });
  document.querySelectorAll(".progress-bar[data-progress]").forEach(function (bar) {
    bar.style.width = (100 * bar.dataset.progress / bar.dataset.total) + "%";
  });
  var summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }
});
