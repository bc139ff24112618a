// Follows a job without reloading the page: every two seconds it reads the
// job (the address in data-job, JSON) and moves the <progress> bar and its
// words (the element named by data-words, a status that screen readers
// announce politely); when the job ends, it reloads the page once to show
// what the job made. Without JavaScript the page shows the job as it was.
(function () {
  "use strict";
  var bar = document.querySelector("progress[data-job]");
  if (!bar || !window.fetch) {
    return;
  }
  var words = document.getElementById(bar.getAttribute("data-words"));
  var format = bar.getAttribute("data-format") || "%p %";
  function tick() {
    fetch(bar.getAttribute("data-job"), {credentials: "same-origin", headers: {Accept: "application/json"}})
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (job) {
        if (!job) {
          setTimeout(tick, 5000);
          return;
        }
        var p = job.state === "done" ? 100 : (job.total > 0 ? Math.floor(job.done * 100 / job.total) : 0);
        bar.value = p;
        if (words) {
          words.textContent = format.replace("%p", p).replace("%d", job.done).replace("%t", job.total);
        }
        if (job.state === "done" || job.state === "dead") {
          window.location.reload();
          return;
        }
        setTimeout(tick, 2000);
      }, function () { setTimeout(tick, 5000); });
  }
  setTimeout(tick, 2000);
}());
