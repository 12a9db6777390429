// The meeting form's attendance lines: "Add a line" copies the formset's empty line (kept in a
// <template>), "Remove" takes a line out, and the lines are renumbered so that Django reads
// them as attendance-0…n-1 (TOTAL_FORMS updated). Without JavaScript the same buttons post
// the form, which comes back with a line more or fewer and nothing stored.
(function () {
  "use strict";

  var form = document.querySelector("form[data-meeting-form]");
  if (!form) { return; }
  var lines = form.querySelector("[data-attendance-lines]");
  var template = document.getElementById("attendance-line-template");
  var total = form.querySelector("[name='attendance-TOTAL_FORMS']");
  var initial = form.querySelector("[name='attendance-INITIAL_FORMS']");
  if (!lines || !template || !total) { return; }

  function number(line, index) {
    line.querySelectorAll("[name], [id], [for]").forEach(function (element) {
      ["name", "id", "for"].forEach(function (attribute) {
        var value = element.getAttribute(attribute);
        if (value) {
          element.setAttribute(
            attribute, value.replace(/attendance-(\d+|__prefix__)-/, "attendance-" + index + "-")
          );
        }
      });
    });
    var remove = line.querySelector("[data-remove-line]");
    if (remove) { remove.value = String(index); }
  }

  function renumber() {
    var all = lines.querySelectorAll("[data-attendance-line]");
    all.forEach(number);
    total.value = String(all.length);
    if (initial && Number(initial.value) > all.length) { initial.value = String(all.length); }
  }

  form.addEventListener("click", function (event) {
    var button = event.target.closest("button");
    if (!button) { return; }
    if (button.hasAttribute("data-add-line")) {
      event.preventDefault();
      var line = template.content.firstElementChild.cloneNode(true);
      lines.appendChild(line);
      renumber();
      var first = line.querySelector("select, input");
      if (first) { first.focus(); }
    } else if (button.hasAttribute("data-remove-line")) {
      event.preventDefault();
      var row = button.closest("[data-attendance-line]");
      var next = row.nextElementSibling || row.previousElementSibling;
      row.remove();
      renumber();
      var target = next ? next.querySelector("select, input") : form.querySelector("[data-add-line]");
      if (target) { target.focus(); }
    }
  });
}());
