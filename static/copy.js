/* Copy buttons (hidden without JavaScript: the text can still be selected by hand). */
(function () {
  "use strict";
  document.querySelectorAll("button.copy").forEach(function (button) {
    var label = button.textContent;
    button.hidden = false;
    button.addEventListener("click", function () {
      var source = document.getElementById(button.getAttribute("data-copy"));
      var text = "value" in source ? source.value : source.textContent;
      navigator.clipboard.writeText(text).then(function () {
        button.textContent = "✓ " + label;
      });
    });
  });
})();
