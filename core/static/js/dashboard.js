/* Draws each <canvas data-chart="{...}"> with the vendored Chart.js; the same figures are in the table below it. */
(function () {
  if (typeof Chart === "undefined") return;
  var palette = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
                 "#bcbd22", "#17becf", "#393b79", "#637939", "#8c6d31", "#843c39", "#7b4173"];
  document.querySelectorAll("canvas[data-chart]").forEach(function (el) {
    var spec = JSON.parse(el.getAttribute("data-chart"));
    var line = spec.type === "line";
    new Chart(el, {
      type: spec.type,
      data: {labels: spec.labels, datasets: spec.datasets.map(function (d, i) {
        var c = palette[i % palette.length];
        return {label: d.label, data: d.data, backgroundColor: c, borderColor: c, fill: false, spanGaps: false};  // a month without data stays a gap, never 0 %
      })},
      options: {responsive: true, maintainAspectRatio: false, animation: false,
        plugins: {legend: {position: "bottom", labels: {boxWidth: 12}}},
        scales: {x: {stacked: !!spec.stacked}, y: {stacked: !!spec.stacked, beginAtZero: true,
                 suggestedMax: line ? 100 : undefined,
                 ticks: line ? {} : {precision: 0}}}}   // counts are whole petitions
    });
  });
})();
