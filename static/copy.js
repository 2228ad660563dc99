/* Copy buttons on the embed help page (hidden without JavaScript: the snippet can be selected). */
(function () {
  "use strict";
  document.querySelectorAll("button.copy").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      var text = document.getElementById(button.dataset.copy).textContent;
      navigator.clipboard.writeText(text).then(function () { button.textContent = "Kopiert"; });
    });
  });
})();
