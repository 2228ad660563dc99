/* One statement per screen, on top of the plain form (which works without this script).
 * Answers live in the URL (history.replaceState / pushState), so back, refresh and sharing work;
 * nothing is stored in the browser. Keys: 1–n answer (n = the quiz's scale, 3 to 5), S skips, V marks as important,
 * ← → move between statements (when focus is not inside a group of answers). */
(function () {
  "use strict";
  var form = document.querySelector("form.quiz-form");
  if (!form) { return; }
  var steps = Array.prototype.slice.call(form.querySelectorAll("fieldset.statement"));
  var stepper = form.querySelector(".stepper");
  var back = stepper.querySelector("[data-step=back]");
  var forward = stepper.querySelector("[data-step=forward]");
  var pattern = form.getAttribute("data-progress");
  var current = 0;

  var progress = document.createElement("div");
  progress.className = "progress";
  var bar = document.createElement("progress");
  bar.max = steps.length;
  var label = document.createElement("span");
  label.setAttribute("aria-live", "polite");
  progress.appendChild(bar);
  progress.appendChild(label);
  form.insertBefore(progress, form.firstChild);
  document.documentElement.classList.add("stepping");
  stepper.hidden = false;
  form.querySelectorAll("kbd.key").forEach(function (key) { key.hidden = false; });

  function checked(step) { return step.querySelector("input[type=radio]:checked"); }

  function show(index, focus) {
    current = Math.max(0, Math.min(index, steps.length - 1));
    steps.forEach(function (step, i) { step.hidden = i !== current; });
    bar.value = current + 1;
    label.textContent = pattern.replace("{n}", current + 1).replace("{total}", steps.length);
    back.disabled = current === 0;
    forward.disabled = current === steps.length - 1;
    steps[current].querySelector(".context").hidden = !checked(steps[current]);
    if (focus) {
      steps[current].setAttribute("tabindex", "-1");
      steps[current].focus();
    }
  }

  function urlFor(index) {
    var params = new URLSearchParams(new FormData(form));
    params.delete("token");
    return "?" + params.toString() + "#s-" + steps[index].getAttribute("data-statement");
  }

  function go(index) {
    if (index < 0 || index >= steps.length || index === current) { return; }
    history.pushState({ step: index }, "", urlFor(index));
    show(index, true);
  }

  function answerWith(input) {
    input.checked = true;
    history.replaceState({ step: current }, "", urlFor(current));
    steps[current].querySelector(".context").hidden = false;
  }

  /* A choice made with a pointer moves on to the next statement; one made with the keyboard
   * (arrow keys inside the group) does not, so keyboard users can move through the options. */
  var byPointer = false;
  form.addEventListener("pointerdown", function () { byPointer = true; });
  form.addEventListener("keydown", function () { byPointer = false; }, true);
  form.addEventListener("change", function (event) {
    history.replaceState({ step: current }, "", urlFor(current));
    steps[current].querySelector(".context").hidden = !checked(steps[current]);
    if (byPointer && event.target.type === "radio" && current < steps.length - 1) {
      var from = current;
      window.setTimeout(function () { if (current === from) { go(current + 1); } }, 150);
    }
    byPointer = false;
  });
  back.addEventListener("click", function () { go(current - 1); });
  forward.addEventListener("click", function () { go(current + 1); });

  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey) { return; }
    var radios = steps[current].querySelectorAll("input[type=radio]");
    var inGroup = event.target.type === "radio";
    if (event.key >= "1" && event.key <= String(radios.length - 1)) {  /* the last radio is "skip" */
      answerWith(radios[Number(event.key) - 1]);
    } else if (event.key === "s" || event.key === "S") {
      answerWith(radios[radios.length - 1]);
    } else if (event.key === "v" || event.key === "V") {
      var box = steps[current].querySelector("input[name=important]");
      box.checked = !box.checked;
      history.replaceState({ step: current }, "", urlFor(current));
    } else if (event.key === "ArrowRight" && !inGroup) {
      go(current + 1);
    } else if (event.key === "ArrowLeft" && !inGroup) {
      go(current - 1);
    } else {
      return;
    }
    event.preventDefault();
  });

  window.addEventListener("popstate", function (event) {
    show(event.state && typeof event.state.step === "number" ? event.state.step : 0, true);
  });

  var start = steps.findIndex(function (step) { return "#s-" + step.getAttribute("data-statement") === location.hash; });
  if (start < 0) { start = steps.findIndex(function (step) { return !checked(step); }); }
  show(start < 0 ? 0 : start, false);
  history.replaceState({ step: current }, "", urlFor(current));
})();
