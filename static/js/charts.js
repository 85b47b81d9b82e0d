// Draws the dashboard's Plotly charts from the figure JSON beside each placeholder
// (dashboard/charts.py), so no inline script is needed under the Content-Security-Policy.
(function () {
  "use strict";
  function draw(root) {
    root.querySelectorAll("[data-plotly-figure]").forEach(function (placeholder) {
      if (placeholder.dataset.plotlyDrawn) return;
      var source = document.getElementById(placeholder.dataset.plotlyFigure);
      if (!source) return;
      var figure = JSON.parse(source.textContent);
      var config = JSON.parse(placeholder.dataset.plotlyConfig || "{}");
      placeholder.dataset.plotlyDrawn = "true";
      Plotly.newPlot(placeholder, figure.data, figure.layout, config);
    });
  }
  document.addEventListener("DOMContentLoaded", function () { draw(document); });
  document.addEventListener("htmx:afterSettle", function (event) { draw(event.detail.elt); });
})();
