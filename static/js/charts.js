/* Draws the charts that core/charts.py renders: <div data-chartkick="ID"> and, in <script id="ID"
   type="application/json">, the chart's type, height, data and options. Chart.js and chartkick.js load first
   (templates/includes/chart_scripts.html). No inline script: the Content-Security-Policy refuses it.
   A chart whose config carries `links` (links[series][point], a URL or null) opens the link of the point
   clicked, and shows a pointer over such points. */
(function () {
  "use strict";

  var linksByElement = {};

  // The point or bar under the pointer (a stacked bar's own segment, not its whole column); else the
  // nearest point, so that a line's small dots are easy to hit with a finger.
  function linkOf(event, chart) {
    var holder = chart.canvas && chart.canvas.closest("[data-chartkick]");
    var links = holder && linksByElement[holder.id];
    if (!links) {
      return null;
    }
    var hit = chart.getElementsAtEventForMode(event, "nearest", {intersect: true}, true);
    if (!hit.length) {
      hit = chart.getElementsAtEventForMode(event, "nearest", {intersect: false}, true);
    }
    var series = hit.length ? links[hit[0].datasetIndex] : null;
    return (series && series[hit[0].index]) || null;
  }

  function listen() {
    var defaults = window.Chart && window.Chart.defaults;
    if (!defaults) {
      return;
    }
    defaults.onClick = function (event, active, chart) {
      var url = linkOf(event, chart);
      if (url) {
        window.location.assign(url);
      }
    };
    defaults.onHover = function (event, active, chart) {
      chart.canvas.style.cursor = linkOf(event, chart) ? "pointer" : "default";
    };
  }

  function draw() {
    listen();
    document.querySelectorAll("[data-chartkick]").forEach(function (element) {
      var config = JSON.parse(document.getElementById(element.getAttribute("data-chartkick")).textContent);
      if (config.links) {
        linksByElement[element.id] = config.links;
      }
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
