// Saves a draft as its author types: a second after the last change, the
// form marked data-autosave is posted to its own address with the header
// X-Autosave: 1, and the server's answer (a line in the page's language)
// is shown in the form's status line. Nothing else is sent anywhere;
// without this script, the form's save button does the same.
(function () {
  "use strict";
  var form = document.querySelector("form[data-autosave]");
  if (!form || !window.fetch || !window.FormData) {
    return;
  }
  var status = form.querySelector("[data-autosave-status]");
  var timer = null, busy = false, again = false;
  function show(text) {
    if (status) {
      status.textContent = text;
    }
  }
  show(form.getAttribute("data-autosave-on") || "");
  function save() {
    if (busy) {
      again = true;
      return;
    }
    busy = true;
    fetch(form.action, {method: "POST", body: new FormData(form), headers: {"X-Autosave": "1"}, credentials: "same-origin"})
      .then(function (r) { return r.text(); })
      .then(show, function () { show(form.getAttribute("data-autosave-offline") || ""); })
      .then(function () {
        busy = false;
        if (again) {
          again = false;
          save();
        }
      });
  }
  function later() {
    clearTimeout(timer);
    timer = setTimeout(save, 1000);
  }
  form.addEventListener("input", later);
  form.addEventListener("change", later);
})();
