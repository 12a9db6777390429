// The quarterly entry page: shows the percentage as the numerator and denominator are typed.
//
// It rounds exactly like the server (tracker/progress.py, DESIGN.md §3): 100 × n ÷ d kept to 4
// places half up (progress.percentage), then shown with one decimal half up (format_number),
// in the page's language ("28,6 %" in French, "28.6 %" in English). The sums are done on whole
// numbers (BigInt) from the typed digits, never on binary floats (toFixed rounds 0.15 down to
// 0.1), and in the server's two steps (501/1001 = 50.04995… is kept as 50.0500, shown 50,1 %).
(function () {
  "use strict";

  var STORED_PLACES = 4;
  var PERCENT_PLACES = 1;

  function pow10(places) {
    var result = BigInt(1);
    for (var i = 0; i < places; i += 1) { result *= BigInt(10); }
    return result;
  }

  // Half up of a ÷ b for a ≥ 0 and b > 0: floor((2a + b) ÷ 2b).
  function divideHalfUp(a, b) {
    return (BigInt(2) * a + b) / (BigInt(2) * b);
  }

  // A typed figure as {digits, places} (12,5 → {125, 1}), read like the server's form field:
  // spaces of any kind dropped, the language's decimal separator (or ".") as the decimal point.
  // null for anything that is not a non-negative number.
  function parse(text, decimalSeparator) {
    var value = String(text || "").replace(/\s/g, "");
    var at = value.indexOf(decimalSeparator);
    if (decimalSeparator && at >= 0) {
      value = value.slice(0, at) + "." + value.slice(at + decimalSeparator.length);
    }
    var match = /^(\d*)(?:\.(\d*))?$/.exec(value);
    if (!match) { return null; }
    var fraction = match[2] || "";
    var digits = match[1] + fraction;
    if (!digits) { return null; }
    return {digits: BigInt(digits), places: fraction.length};
  }

  function group(integer, thousandSeparator) {
    var text = integer.toString();
    var groups = [];
    while (text.length > 3) {
      groups.unshift(text.slice(-3));
      text = text.slice(0, -3);
    }
    groups.unshift(text);
    return groups.join(thousandSeparator);
  }

  // The preview text for the typed numerator and denominator, or "—".
  function percentText(numeratorText, denominatorText, separators) {
    var decimalSeparator = separators.decimal || ".";
    var n = parse(numeratorText, decimalSeparator), d = parse(denominatorText, decimalSeparator);
    if (!n || !d || d.digits === BigInt(0)) { return "—"; }
    // 100 × n ÷ d in units of 10^-4: (100 × N ÷ 10^a) ÷ (D ÷ 10^b) × 10^4.
    var stored = divideHalfUp(
      BigInt(100) * n.digits * pow10(d.places + STORED_PLACES),
      d.digits * pow10(n.places)
    );
    var shown = divideHalfUp(stored, pow10(STORED_PLACES - PERCENT_PLACES));
    var unit = pow10(PERCENT_PLACES);
    var decimals = (shown % unit).toString();
    while (decimals.length < PERCENT_PLACES) { decimals = "0" + decimals; }
    return group(shown / unit, separators.thousand || "") + decimalSeparator + decimals +
      (separators.percent || " %");
  }

  if (typeof module !== "undefined" && module.exports) {
    module.exports = {percentText: percentText};  // for the tests (node)
  }
  if (typeof document === "undefined") { return; }

  document.querySelectorAll("[data-percentage]").forEach(function (box) {
    var num = box.querySelector("[name$='-numerator']"), den = box.querySelector("[name$='-denominator']");
    var out = box.querySelector("output");
    if (!num || !den || !out) { return; }
    var separators = {
      decimal: out.getAttribute("data-decimal-separator") || ".",
      thousand: out.getAttribute("data-thousand-separator") || "",
      percent: out.getAttribute("data-percent-sign") || " %"
    };
    function show() {
      out.textContent = percentText(num.value, den.value, separators);
    }
    num.addEventListener("input", show);
    den.addEventListener("input", show);
    show();
  });
}());
