// Draws the indicator page's charts from the JSON the page embeds. Every chart has a table
// beside it with the same figures, for screen readers and printing.
(function () {
  "use strict";
  if (typeof Chart === "undefined") { return; }
  var lang = document.documentElement.lang || "fr";
  var number = function (value) { return value === null ? "—" : value.toLocaleString(lang); };

  var main = document.getElementById("values-chart");
  var mainData = document.getElementById("values-chart-data");
  if (main && mainData) {
    var data = JSON.parse(mainData.textContent);
    var datasets = [
      // An empty quarter stays a gap: a line across it would show a figure nobody reported.
      {label: data.series.values, data: data.values, borderColor: "#0d6efd", backgroundColor: "#0d6efd", spanGaps: false},
      {label: data.series.targets, data: data.targets, borderColor: "#198754", borderDash: [6, 4], pointRadius: 0, stepped: true}
    ];
    if (data.whole_years.length) {
      // A whole-year value spans its four quarters: it is not a fourth-quarter point.
      // Each year is its own segment: no line from one year's value to the next one's.
      datasets.push({label: data.series.whole_years, data: data.whole_years, borderColor: "#d63384", backgroundColor: "#d63384", borderWidth: 3, pointRadius: 0, spanGaps: false,
        segment: {borderColor: function (c) { return c.p0DataIndex % 4 === 3 ? "transparent" : undefined; }}});
    }
    if (data.baseline !== null) {
      datasets.push({label: data.series.baseline, data: data.labels.map(function () { return data.baseline; }), borderColor: "#6c757d", borderDash: [2, 3], pointRadius: 0});
    }
    new Chart(main, {
      type: "line",
      data: {labels: data.labels, datasets: datasets},
      options: {animation: false, scales: {y: {beginAtZero: true}}, plugins: {tooltip: {callbacks: {label: function (c) { return c.dataset.label + ": " + number(c.raw); }}}}}
    });
  }

  var breakdownData = document.getElementById("breakdown-chart-data");
  if (breakdownData) {
    var charts = JSON.parse(breakdownData.textContent);
    document.querySelectorAll("canvas.breakdown-chart").forEach(function (canvas) {
      var chart = charts[Number(canvas.dataset.index)];
      new Chart(canvas, {
        type: "bar",
        data: {labels: chart.labels, datasets: [{data: chart.values, backgroundColor: "#6f42c1"}]},
        options: {animation: false, indexAxis: chart.labels.length > 4 ? "y" : "x", plugins: {legend: {display: false}}}
      });
    });
  }
}());
