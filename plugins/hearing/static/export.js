// Batch export: ask the server to render the next chunk until every hearing is done, showing progress.
(function () {
  var box = document.getElementById("export-job");
  if (!box) { return; }
  var url = box.dataset.step, token = box.dataset.csrf;
  var bar = document.getElementById("export-progress"), count = document.getElementById("export-count");
  var link = document.getElementById("export-download");
  function step() {
    fetch(url, {method: "POST", headers: {"X-CSRFToken": token, "Accept": "application/json"}, credentials: "same-origin"})
      .then(function (r) { return r.json(); })
      .then(function (d) {
        bar.value = d.done; bar.max = d.total || 1; count.textContent = d.done + " / " + d.total;
        if (d.finished) { link.hidden = false; } else { step(); }
      });
  }
  if (box.dataset.finished !== "1") { step(); }
})();
