// Keeps a job's page current while the job runs. Without JavaScript the page offers a
// link that reloads it; with it, the progress bar and status update in place, and the
// page reloads once the job has finished (or failed, also when its worker died: the server
// then says so) so the result or the message shows; polling stops there, and on any error.
(function () {
  "use strict";
  var root = document.querySelector("[data-job-status-url]");
  if (!root) { return; }
  var url = root.getAttribute("data-job-status-url");
  var bar = root.querySelector("progress");
  var percent = root.querySelector("[data-job-percent]");
  var step = root.querySelector("[data-job-step]");
  var status = root.querySelector("[data-job-status]");
  var refresh = root.querySelector("[data-job-refresh]");
  if (refresh) { refresh.hidden = true; }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error(response.status); }
        return response.json();
      })
      .then(function (data) {
        if (bar) { bar.value = data.percent; }
        if (percent) { percent.textContent = data.percent + " %"; }
        if (step) { step.textContent = data.step; }
        if (status) { status.textContent = data.status_label; }
        if (data.finished) { window.location.reload(); } else { window.setTimeout(poll, 1000); }
      })
      .catch(function () {
        if (refresh) { refresh.hidden = false; }
      });
  }
  window.setTimeout(poll, 500);
})();
