// The Ny plan page (plans/plan_create.html) has two forms: step 1 (unit and year, sent with
// GET) decides what step 2 offers and which unit and year step 2 creates the plan for.
// Without JavaScript a changed but unsent step 1 would be ignored by step 2; with it, step 2
// says so as soon as step 1 differs from what it was made for, and refuses to send until
// step 1 is sent ("Byt enhet eller år"), moving the focus to that button.
(function () {
  "use strict";
  var first = document.getElementById("plan-step-1");
  var second = document.getElementById("plan-step-2");
  var note = document.getElementById("plan-step-stale");
  if (!first || !second || !note) { return; }
  var names = ["enhet", "ar"];

  function changed() {
    return names.some(function (name) {
      var shown = first.elements[name];
      var used = second.elements[name];
      return shown && used && shown.value.trim() !== used.value;
    });
  }

  function update() { note.hidden = !changed(); }

  first.addEventListener("input", update);
  first.addEventListener("change", update);
  second.addEventListener("submit", function (event) {
    if (!changed()) { return; }
    event.preventDefault();
    note.hidden = false;
    var send = first.querySelector("button[type=submit]");
    if (send) { send.focus(); }
  });
  update();
})();
