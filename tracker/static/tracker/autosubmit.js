// A <select data-autosubmit> sends its form as soon as a choice is made (the language switch,
// the year selector). Replaces onchange="this.form.submit()", which the Content-Security-Policy
// refuses; each such form keeps a <noscript> button for browsers without JavaScript.
(function () {
  "use strict";
  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () {
      if (select.form) { select.form.submit(); }
    });
  });
}());
