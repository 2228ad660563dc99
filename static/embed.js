/* Valgomat embed script, for partner pages:
 *   <script src="https://QUIZ/static/embed.js" data-partner="ID" async></script>
 * Optional: data-quiz="SLUG" (required where the site serves several quizzes: which one),
 * data-lang="nb|en" (default: the reader's browser language), data-title (the iframe's
 * accessible title, default "Valgomat"), data-height (start height in pixels, default 900).
 * Every option is documented in the README ("Embedding on news sites").
 * Inserts an iframe with the quiz in embed mode and sets its height from the frame's messages.
 * Message format (the only one accepted): {"type": "valgomat:height", "height": <pixels>},
 * and only from the quiz's own origin and from this script's own frame. */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !script.dataset.partner) { return; }
  var quiz = script.dataset.quiz || "";
  if (!/^[a-z0-9-]*$/.test(quiz)) { return; }
  var origin = new URL(script.src).origin;
  var frame = document.createElement("iframe");
  frame.src = origin + "/" + (quiz ? quiz + "/" : "") + "?partner=" + encodeURIComponent(script.dataset.partner) +
    (script.dataset.lang ? "&lang=" + encodeURIComponent(script.dataset.lang) : "");
  frame.title = script.dataset.title || "Valgomat";
  frame.style.width = "100%";
  frame.style.border = "0";
  frame.style.height = (parseInt(script.dataset.height, 10) || 900) + "px";
  frame.setAttribute("data-valgomat", "");
  /* Each page the frame loads learns our origin from this hello (see frame.js), and sends its height only to us. */
  frame.addEventListener("load", function () {
    frame.contentWindow.postMessage({ type: "valgomat:hello" }, origin);
  });
  script.parentNode.insertBefore(frame, script.nextSibling);

  window.addEventListener("message", function (event) {
    if (event.origin !== origin || event.source !== frame.contentWindow) { return; }
    var data = event.data;
    if (!data || data.type !== "valgomat:height" || typeof data.height !== "number" || !isFinite(data.height)) {
      return;
    }
    frame.style.height = Math.max(150, Math.min(Math.ceil(data.height), 50000)) + "px";
  });
})();
