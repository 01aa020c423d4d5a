// The indicator authoring page (indicators/indicator_target.html). Without JavaScript the
// page shows every field and a "Förhandsgranska" button re-renders it with the rule's
// sentence. With it, only the fields of the chosen rule type and definition source show,
// and the sentence in the aria-live region follows the fields as the person types: the
// server writes it (indicators:rule_preview), so it is the same sentence the plan shows.
(function () {
  "use strict";
  var form = document.getElementById("target-form");
  if (!form || !window.fetch || !window.URLSearchParams) { return; }
  var url = form.getAttribute("data-rule-preview-url");
  var output = document.getElementById("rule-preview");
  var timer = null;
  var asked = 0;

  function checked(name) {
    var input = form.querySelector("input[name='" + name + "']:checked");
    return input ? input.value : "";
  }

  function showChosen() {
    var kind = checked("kind");
    var source = checked("source");
    form.querySelectorAll("[data-kind]").forEach(function (group) {
      group.hidden = group.getAttribute("data-kind") !== kind;
    });
    form.querySelectorAll("[data-source]").forEach(function (group) {
      group.hidden = group.getAttribute("data-source") !== source;
    });
    var help = form.querySelector("[data-kind-help]");
    if (help) { help.hidden = true; }
  }

  function query() {
    var params = new URLSearchParams();
    new FormData(form).forEach(function (value, name) {
      if (name !== "csrfmiddlewaretoken" && typeof value === "string") {
        params.append(name, value);
      }
    });
    return params.toString();
  }

  function show(data) {
    if (data.text) {
      output.textContent = data.text;
      output.classList.remove("rule-preview__text--error");
      return;
    }
    var messages = [];
    Object.keys(data.errors || {}).forEach(function (name) {
      messages = messages.concat(data.errors[name]);
    });
    output.textContent = messages.join(" ");
    output.classList.add("rule-preview__text--error");
  }

  function preview() {
    var number = ++asked;
    fetch(url + "?" + query(), {
      credentials: "same-origin",
      headers: { "Accept": "application/json" }
    })
      .then(function (response) {
        if (!response.ok) { throw new Error(response.status); }
        return response.json();
      })
      .then(function (data) {
        if (number === asked) { show(data); }  // only the answer to the latest question
      })
      .catch(function () { /* the Förhandsgranska button still works */ });
  }

  function later() {
    window.clearTimeout(timer);
    timer = window.setTimeout(preview, 400);
  }

  form.addEventListener("input", later);
  form.addEventListener("change", function () { showChosen(); later(); });
  showChosen();
})();
