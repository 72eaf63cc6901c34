// Autosaved forms (a draft kept while the user types: hx-post on the form). Sending the form
// waits for an autosave already on its way and stops any later one, so a draft is never
// written after the form itself was sent (issue 18: a late autosave left a stale draft).
(function () {
  function autosaving(element) {
    return element && element.tagName === "FORM" && element.hasAttribute("hx-post");
  }

  function send(form) {
    if (form.dataset.sending === "1") return;
    delete form.dataset.sendAfterAutosave;
    form.dataset.sending = "1";
    // form.submit() sends no button: a button that says what to do (the referral form's
    // "add" and "remove" buttons, #20 item 8) is sent as the browser would have sent it.
    var by = form.tarianSubmitter;
    if (by && by.name) {
      var input = document.createElement("input");
      input.type = "hidden";
      input.name = by.name;
      input.value = by.value;
      form.appendChild(input);
    }
    form.submit();
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!autosaving(form)) return;
    if (form.dataset.autosaveInFlight === "1") {
      event.preventDefault();
      form.tarianSubmitter = event.submitter;
      form.dataset.sendAfterAutosave = "1";
      // Should the autosave never answer, the form is sent all the same.
      window.setTimeout(function () { send(form); }, 5000);
      return;
    }
    form.dataset.sending = "1";
  }, true);

  document.addEventListener("htmx:beforeRequest", function (event) {
    var form = event.detail.elt;
    if (!autosaving(form)) return;
    if (form.dataset.sending === "1") {
      event.preventDefault();
      return;
    }
    form.dataset.autosaveInFlight = "1";
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    var form = event.detail.elt;
    if (!autosaving(form)) return;
    delete form.dataset.autosaveInFlight;
    if (form.dataset.sendAfterAutosave === "1") send(form);
  });
})();
