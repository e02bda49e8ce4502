/* Steps that turn a đề án back or end it: the browser asks once more, quoting the consequence the form
   states (data-confirm). Without this file the form still shows the consequence beside its button. */
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var button = event.submitter;
    var message = (button && button.getAttribute("data-confirm")) ||
      (form.getAttribute && form.getAttribute("data-confirm"));
    if (message && !window.confirm(message)) {
      event.preventDefault();
    }
  }, true);
})();
