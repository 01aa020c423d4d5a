// Keeps the focused element clear of the sticky save bar (WCAG 2.2, 2.4.11 Focus Not
// Obscured). The page's CSS leaves the bar's height free when the browser scrolls a field
// into view (scroll-padding-bottom), but for a text field Chromium scrolls only until the
// caret shows, which can leave the rest of a textarea behind the bar. Without JavaScript
// the caret still shows; with it, the whole field (and its focus ring) does.
(function () {
  "use strict";
  var RING = 10; // the focus ring: 3px outline, 2px offset, 5px shadow
  document.addEventListener("focusin", function (event) {
    var bar = document.querySelector(".sticky-actions");
    var target = event.target;
    if (!bar || !target.getBoundingClientRect || bar.contains(target)) { return; }
    window.requestAnimationFrame(function () {
      var box = target.getBoundingClientRect();
      var barBox = bar.getBoundingClientRect();
      if (box.bottom + RING <= barBox.top || box.top - RING >= barBox.bottom) { return; }
      var by = box.bottom + RING - barBox.top;
      if (box.height + 2 * RING > barBox.top) { by = box.top - RING; } // taller than the room
      window.scrollBy(0, by);
    });
  });
})();
