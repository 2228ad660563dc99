/* Inside the embedded quiz: tell the partner page our height, and nothing else.
 * Sent only to the page that frames us, and only if it is one of the partner's configured origins
 * (<html data-parent-origins>): a message addressed to another origin is an error in the browser's
 * console, so we learn the parent's origin first. Chromium and Safari say it (location.ancestorOrigins);
 * elsewhere embed.js says hello ({"type": "valgomat:hello"}) each time the frame loads, and the
 * browser tells us the origin of that message. */
(function () {
  "use strict";
  if (window.parent === window) { return; }
  var origins = (document.documentElement.getAttribute("data-parent-origins") || "").split(" ").filter(Boolean);
  var ancestors = window.location.ancestorOrigins;
  var target = ancestors && ancestors.length && origins.indexOf(ancestors[0]) >= 0 ? ancestors[0] : null;
  var last = 0;
  function send() {
    if (!target) { return; }
    var height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (height === last) { return; }
    last = height;
    window.parent.postMessage({ type: "valgomat:height", height: height }, target);
  }
  window.addEventListener("message", function (event) {
    if (event.source !== window.parent || !event.data || event.data.type !== "valgomat:hello") { return; }
    if (origins.indexOf(event.origin) < 0) { return; }
    target = event.origin;
    last = 0;
    send();
  });
  if (window.ResizeObserver) { new ResizeObserver(send).observe(document.documentElement); }
  window.addEventListener("load", send);
  document.addEventListener("toggle", send, true);  /* <details> opening and closing */
  send();
})();
