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

  // The control that opened the update dialog, so that closing the dialog can return focus to it
  // (WCAG 2.4.3) instead of dropping the keyboard user back at the top of the page.
  var dialogOpener = null;

  function focusable(element) {
    if (!element.hasAttribute("tabindex") && !/^(INPUT|TEXTAREA|SELECT|BUTTON|A)$/.test(element.tagName)) {
      element.setAttribute("tabindex", "-1");
    }
    element.focus();
  }

  // Where focus belongs after the dialog's content changes: the first field in error (its error is
  // tied to it by aria-describedby), else a conflict or saved message, else the first field.
  function focusTarget(body) {
    return body.querySelector("[aria-invalid=true]:not(fieldset), .is-invalid input, fieldset[aria-invalid=true] input") ||
      body.querySelector("#update-conflict, [role=status], [role=alert]") ||
      body.querySelector("input[type=radio]:checked") ||
      body.querySelector("input:not([type=hidden]), textarea, select, button");
  }

  document.addEventListener("htmx:beforeRequest", function (event) {
    var target = event.detail.target;
    if (target && target.id === "update-dialog-body" && !target.contains(event.detail.elt)) {
      dialogOpener = event.detail.elt;
    }
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail.target.id !== "update-dialog-body") return;
    var dialog = document.getElementById("update-dialog");
    var modal = bootstrap.Modal.getOrCreateInstance(dialog);
    var place = function () {
      var target = focusTarget(document.getElementById("update-dialog-body"));
      if (target) focusable(target);
    };
    if (dialog.classList.contains("show")) {
      place();
    } else {
      dialog.addEventListener("shown.bs.modal", place, { once: true });
      modal.show();
    }
  });

  document.addEventListener("hidden.bs.modal", function (event) {
    if (event.target.id !== "update-dialog") return;
    document.getElementById("update-dialog-body").replaceChildren();
    if (dialogOpener && document.body.contains(dialogOpener)) dialogOpener.focus();
    dialogOpener = null;
  });

  document.addEventListener("htmx:responseError", function (event) {
    var body = document.getElementById("update-dialog-body");
    if (!body) return;
    body.innerHTML = '<div class="alert alert-danger" role="alert">That did not work (' +
      event.detail.xhr.status + '). Reload the page and try again.</div>';
  });

  // A full page returned with errors (the bulk update) takes focus to its error summary, an alert.
  var summary = document.querySelector("[data-focus-on-load]");
  if (summary) summary.focus();

  // Filters fold behind a button on small screens (see generic/object_list.html). Only script
  // folds them, so without JavaScript they simply stay open; from 768 px up CSS keeps them open.
  document.querySelectorAll("[data-sip-filters]").forEach(function (panel) {
    var toggle = document.querySelector('[aria-controls="' + panel.id + '"]');
    if (!toggle) return;
    panel.classList.add("collapse");
    toggle.hidden = false;
  });
})();
