/* Rapport's page behaviour that the Content-Security-Policy keeps out of templates.
   Widths that come from data (progress bars): <div class="progress-bar" data-width="37"> is 37% wide.
   A style set from script is allowed; a style="…" attribute in the page is not. It runs for the page and
   again for every fragment htmx swaps in (the import progress bar polls). */
(function () {
  "use strict";

  function applyWidths(root) {
    var elements = root.querySelectorAll ? root.querySelectorAll("[data-width]") : [];
    if (root.matches && root.matches("[data-width]")) elements = [root].concat(Array.prototype.slice.call(elements));
    Array.prototype.forEach.call(elements, function (element) {
      var percent = Math.max(0, Math.min(100, Number(element.getAttribute("data-width")) || 0));
      element.style.width = percent + "%";
    });
  }

  applyWidths(document);  // this script comes last in <body>: the page is all there
  // htmx:afterSwap, not htmx.onLoad: htmx fires "load" only when content settles (20 ms on), and until then
  // the swapped-in bar would show at the wrong width.
  document.addEventListener("htmx:afterSwap", function (event) { applyWidths(event.target); });
})();
