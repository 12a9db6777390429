// The quarterly entry page: shows the percentage as the numerator and denominator are typed.
(function () {
  "use strict";
  var lang = document.documentElement.lang || "fr";
  function parse(input) { return parseFloat((input.value || "").replace(/\s/g, "").replace(",", ".")); }
  document.querySelectorAll("[data-percentage]").forEach(function (box) {
    var num = box.querySelector("[name$='-numerator']"), den = box.querySelector("[name$='-denominator']");
    var out = box.querySelector("output");
    if (!num || !den || !out) { return; }
    function show() {
      var n = parse(num), d = parse(den);
      out.textContent = (d > 0 && n >= 0) ? (100 * n / d).toLocaleString(lang, {maximumFractionDigits: 1}) + " %" : "—";
    }
    num.addEventListener("input", show);
    den.addEventListener("input", show);
    show();
  });
}());
