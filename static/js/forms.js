// One submission per form: a second submit of a form whose first submission is still on
// its way (a double click, an impatient second press) is dropped, so a double click never
// sends two requests (two sessions, two proposals, two e-mails). The form is marked busy
// (aria-busy, the buttons dimmed by sosvet.css) and re-armed when the page is shown again
// (the browser's Back button) and after a few seconds (a download leaves the page as it
// is). The server still refuses what must not happen twice; this spares the user the
// error. Forms another script handles itself (their submit event already cancelled) are
// left alone.
(function () {
  "use strict";
  var REARM_MS = 5000;

  function rearm(form) {
    delete form.dataset.submitting;
    form.removeAttribute("aria-busy");
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || form.method.toLowerCase() !== "post") { return; }
    if (form.dataset.submitting === "1") {
      event.preventDefault();
      return;
    }
    if (event.defaultPrevented) { return; }
    form.dataset.submitting = "1";
    form.setAttribute("aria-busy", "true");
    window.setTimeout(function () { rearm(form); }, REARM_MS);
  });

  window.addEventListener("pageshow", function () {
    Array.prototype.forEach.call(document.querySelectorAll("form[data-submitting]"), rearm);
  });
})();
