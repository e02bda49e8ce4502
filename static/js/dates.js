/* Date and month fields in dd/mm/yyyy and mm/yyyy whatever the browser's language: a calendar from the
   portal's own copy of flatpickr on the text fields marked data-datepicker. Typing stays the quick way
   (the calendar never takes the keyboard away: Tab moves on, the typed value is read on leaving the field);
   without this file the fields are plain text in the same format. */
(function () {
  "use strict";

  function setUp(root) {
    if (!window.flatpickr) { return; }
    var english = document.documentElement.lang === "en";
    var fields = (root || document).querySelectorAll("input[data-datepicker]");
    Array.prototype.forEach.call(fields, function (input) {
      if (input._flatpickr) { return; }
      var month = input.getAttribute("data-datepicker") === "month";
      var options = {
        allowInput: true,
        disableMobile: true,  // a phone's own picker follows the phone's language
        dateFormat: month ? "m/Y" : "d/m/Y",
        locale: english ? "default" : "vn",
        monthSelectorType: "static"
      };
      if (english) { options.locale = { firstDayOfWeek: 1 }; }
      if (month && window.monthSelectPlugin) {
        options.plugins = [new window.monthSelectPlugin({ shorthand: false, dateFormat: "m/Y" })];
      }
      window.flatpickr(input, options);
    });
  }

  document.addEventListener("DOMContentLoaded", function () { setUp(document); });
  document.addEventListener("htmx:load", function (event) { setUp(event.target); });
})();
