/* Draws the charts that core/charts.py renders: <div data-chartkick="ID"> and, in <script id="ID"
   type="application/json">, the chart's type, height, data and options. Chart.js and chartkick.js load first
   (templates/includes/chart_scripts.html). No inline script: the Content-Security-Policy refuses it. */
(function () {
  "use strict";

  function draw() {
    document.querySelectorAll("[data-chartkick]").forEach(function (element) {
      var config = JSON.parse(document.getElementById(element.getAttribute("data-chartkick")).textContent);
      element.style.height = config.height;
      element.style.lineHeight = config.height;  // centres the "Loading…" text until the chart replaces it
      new window.Chartkick[config.type](element, config.data, config.options);
    });
  }

  if ("Chartkick" in window) {
    draw();
  } else {
    window.addEventListener("chartkick:load", draw, true);
  }
})();
