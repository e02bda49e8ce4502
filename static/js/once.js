// A form marked data-once sends once: a second click (or Enter) while the first request is on its way does
// nothing. The server also acts once per form (its request token); this spares the second request.
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (!form.matches || !form.matches("form[data-once]")) return;
  if (form.dataset.sent) {
    event.preventDefault();
    return;
  }
  form.dataset.sent = "1";
  form.setAttribute("aria-busy", "true");
  form.querySelectorAll("button[type=submit], button:not([type])").forEach(function (button) {
    button.setAttribute("aria-disabled", "true");
  });
});
