// Progressive enhancement of the export page (cases:export_job): the bar follows the job
// without reloading the page. Without this file the page refreshes itself (noscript) and
// has a Refresh button.
document.addEventListener("DOMContentLoaded", function () {
  var job = document.getElementById("export-job");
  if (!job) { return; }
  var url = job.dataset.statusUrl;
  var every = 1000 * (parseFloat(job.dataset.pollSeconds) || 2);
  var finished = function (status) { return status === "done" || status === "failed"; };
  var show = function (element, visible) { element.hidden = !visible; };
  var paint = function (state) {
    job.dataset.status = state.status;
    document.getElementById("export-label").textContent = state.label;
    document.getElementById("export-rows").textContent = state.rows_written;
    document.getElementById("export-total").textContent = state.rows_total;
    document.getElementById("export-percent").textContent = state.percent;
    var bar = document.getElementById("export-progress");
    bar.value = state.percent;
    bar.textContent = state.percent + "%";
    var error = document.getElementById("export-error");
    error.textContent = state.error;
    show(error, Boolean(state.error));
    var download = document.getElementById("export-download");
    if (state.download) { download.href = state.download; }
    show(download, Boolean(state.download));
    show(document.getElementById("export-refresh"), !finished(state.status));
    show(document.getElementById("export-again"), state.status === "failed");
  };
  var poll = function () {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error(response.status); }
        return response.json();
      })
      .then(function (state) {
        paint(state);
        if (!finished(state.status)) { window.setTimeout(poll, every); }
      })
      .catch(function () { window.setTimeout(poll, every * 2); });
  };
  if (!finished(job.dataset.status)) { window.setTimeout(poll, every); }
});
