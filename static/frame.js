/* Inside the embedded quiz: tell the partner page our height, and nothing else.
 * Sent only to the partner's configured origins (from <html data-parent-origins>). */
(function () {
  "use strict";
  if (window.parent === window) { return; }
  var origins = (document.documentElement.getAttribute("data-parent-origins") || "").split(" ");
  var last = 0;
  function send() {
    var height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (height === last) { return; }
    last = height;
    origins.forEach(function (origin) {
      if (origin) { window.parent.postMessage({ type: "valgomat:height", height: height }, origin); }
    });
  }
  if (window.ResizeObserver) { new ResizeObserver(send).observe(document.documentElement); }
  window.addEventListener("load", send);
  document.addEventListener("toggle", send, true);  /* <details> opening and closing */
  send();
})();
