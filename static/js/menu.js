/* On a phone the main menu folds behind one "Menu" button (aria-expanded says whether it is open). Without
   this file the menu stays unfolded, as on a desktop. */
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var button = document.querySelector(".nav-toggle");
    var bar = document.querySelector(".topbar");
    if (!button || !bar) { return; }
    bar.classList.add("js-fold");
    button.addEventListener("click", function () {
      var open = button.getAttribute("aria-expanded") !== "true";
      button.setAttribute("aria-expanded", String(open));
      bar.classList.toggle("nav-open", open);
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && bar.classList.contains("nav-open")) {
        button.setAttribute("aria-expanded", "false");
        bar.classList.remove("nav-open");
        button.focus();
      }
    });
  });
})();
