// SIP Portal's own behaviour on top of htmx. Every feature also works without JavaScript.
(function () {
  "use strict";
  // Swap validation errors (422) and update conflicts (409) into the page: they carry the form to fix.
  htmx.config.responseHandling = [
    { code: "204", swap: false },
    { code: "[23]..", swap: true },
    { code: "409", swap: true, error: false },
    { code: "422", swap: true, error: false },
    { code: "[45]..", swap: false, error: true },
  ];

  // Under the Content-Security-Policy nothing may be evaluated from markup (hx-on, trigger filters).
  htmx.config.allowEval = false;

  // While an import runs, poll its progress once a second (the form names the progress element).
  var importPoll = null;
  document.addEventListener("htmx:beforeRequest", function (event) {
    var progressId = event.detail.elt.dataset && event.detail.elt.dataset.importConfirm;
    if (!progressId) return;
    var progress = document.getElementById(progressId);
    progress.hidden = false;
    importPoll = window.setInterval(function () { htmx.trigger(progress, "sip:poll"); }, 1000);
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    if (!(event.detail.elt.dataset && event.detail.elt.dataset.importConfirm)) return;
    window.clearInterval(importPoll);
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail.target.id !== "update-dialog-body") return;
    var dialog = document.getElementById("update-dialog");
    bootstrap.Modal.getOrCreateInstance(dialog).show();
    var first = dialog.querySelector(".alert, input:not([type=hidden]), textarea, button");
    if (first) { first.setAttribute("tabindex", first.getAttribute("tabindex") || "-1"); first.focus(); }
  });

  document.addEventListener("htmx:responseError", function (event) {
    var body = document.getElementById("update-dialog-body");
    if (!body) return;
    body.innerHTML = '<div class="alert alert-danger" role="alert">That did not work (' +
      event.detail.xhr.status + '). Reload the page and try again.</div>';
  });
})();
