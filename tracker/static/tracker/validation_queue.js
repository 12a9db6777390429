// The validation queue: the header checkbox ticks or unticks every row of the page.
(function () {
  "use strict";
  document.querySelectorAll("[data-select-all]").forEach(function (all) {
    var boxes = document.querySelectorAll("input[type=checkbox][name='" + all.dataset.selectAll + "']");
    all.addEventListener("change", function () {
      boxes.forEach(function (box) { box.checked = all.checked; });
    });
  });
}());
