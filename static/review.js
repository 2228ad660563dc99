/* Review step: "select all / none / parties only / organisations only" for the actor list. */
(function () {
  "use strict";
  var buttons = document.querySelector(".select-buttons");
  if (!buttons) { return; }
  buttons.hidden = false;
  buttons.addEventListener("click", function (event) {
    var choice = event.target.getAttribute("data-select");
    if (!choice) { return; }
    document.querySelectorAll(".actor-list input[name=actors]").forEach(function (box) {
      box.checked = choice === "all" || box.getAttribute("data-kind") === choice;
    });
  });
})();
