// The quarterly entry page: shows the percentage as the numerator and denominator are typed,
// and the running totals of a breakdown grid as its cells are typed (the server still checks
// that the cells add up: this only shows it early).
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

  // The sum of typed whole numbers as {sum, typed, complete}: typed is false when every cell
  // is empty (unknown, never a zero), complete is false when a cell holds something that is
  // not a whole number (the server will say so on saving).
  function sumOf(texts, decimalSeparator) {
    var sum = BigInt(0), typed = false, complete = true;
    texts.forEach(function (text) {
      if (!String(text || "").trim()) { return; }
      typed = true;
      var number = parse(text, decimalSeparator);
      if (!number || number.places) { complete = false; return; }
      sum += number.digits;
    });
    return {sum: sum, typed: typed, complete: complete};
  }

  function signed(difference, thousandSeparator) {
    var sign = difference < BigInt(0) ? "-" : "+";
    var size = difference < BigInt(0) ? -difference : difference;
    return sign + group(size, thousandSeparator);
  }

  if (typeof module !== "undefined" && module.exports) {
    module.exports = {percentText: percentText, sumOf: sumOf, signed: signed};  // for node
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

  var form = document.querySelector("form[data-total-label]");
  if (!form) { return; }
  var labels = {
    total: form.getAttribute("data-total-label"),
    alone: form.getAttribute("data-sum-alone"),
    equal: form.getAttribute("data-sum-equal"),
    differs: form.getAttribute("data-sum-differs")
  };
  var decimalSeparator = form.getAttribute("data-decimal-separator") || ".";
  var thousandSeparator = form.getAttribute("data-thousand-separator") || "";

  function cell(tag, className) {
    var element = document.createElement(tag);
    if (className) { element.className = className; }
    return element;
  }

  function fill(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (_match, name) { return values[name]; });
  }

  // Adds a total column (when the grid has several columns), a total row and a sentence read
  // out politely by screen readers, all computed from the cells as they are typed.
  function totals(table) {
    var figure = form.querySelector("[name='" + table.getAttribute("data-breakdown") + "']");
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    var columns = rows.length ? rows[0].querySelectorAll("input").length : 0;
    if (!columns) { return; }
    var rowOutputs = [];
    if (columns > 1) {
      var head = cell("th");
      head.scope = "col";
      head.textContent = labels.total;
      table.tHead.rows[0].appendChild(head);
      rows.forEach(function (row) {
        var output = cell("output");
        var td = cell("td", "text-end fw-semibold");
        td.appendChild(output);
        row.appendChild(td);
        rowOutputs.push(output);
      });
    }
    var footer = table.createTFoot().insertRow();
    var label = cell("th");
    label.scope = "row";
    label.textContent = labels.total;
    footer.appendChild(label);
    var columnOutputs = [];
    for (var i = 0; i < columns + (columns > 1 ? 1 : 0); i += 1) {
      var td = cell("td", "text-end fw-semibold");
      var output = cell("output");
      td.appendChild(output);
      footer.appendChild(td);
      columnOutputs.push(output);
    }
    var sentence = cell("p", "small mb-0");
    sentence.setAttribute("aria-live", "polite");
    table.parentNode.insertBefore(sentence, table.nextSibling);

    function text(result) {
      if (!result.typed) { return "—"; }
      return result.complete ? group(result.sum, thousandSeparator) : "?";
    }
    function show() {
      var all = [];
      rows.forEach(function (row, index) {
        var values = Array.prototype.map.call(row.querySelectorAll("input"), function (input) {
          return input.value;
        });
        all = all.concat(values);
        if (rowOutputs[index]) { rowOutputs[index].textContent = text(sumOf(values, decimalSeparator)); }
      });
      for (var column = 0; column < columns; column += 1) {
        var values = rows.map(function (row) {
          var input = row.querySelectorAll("input")[column];
          return input ? input.value : "";
        });
        columnOutputs[column].textContent = text(sumOf(values, decimalSeparator));
      }
      var grand = sumOf(all, decimalSeparator);
      if (columns > 1) { columnOutputs[columns].textContent = text(grand); }
      var total = figure ? parse(figure.value, decimalSeparator) : null;
      if (!grand.typed || !grand.complete) {
        sentence.textContent = "";
      } else if (!total || total.places) {
        sentence.textContent = fill(labels.alone, {sum: text(grand)});
      } else if (total.digits === grand.sum) {
        sentence.textContent = fill(labels.equal, {sum: text(grand)});
      } else {
        sentence.textContent = fill(labels.differs, {
          sum: text(grand),
          figure: group(total.digits, thousandSeparator),
          difference: signed(grand.sum - total.digits, thousandSeparator)
        });
      }
    }
    table.addEventListener("input", show);
    if (figure) { figure.addEventListener("input", show); }
    show();
  }

  form.querySelectorAll("table[data-breakdown]").forEach(totals);
}());
