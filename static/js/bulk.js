/* Lists with ticks for several rows: a tick in the header ticks or clears every row of the same name. */
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var all = event.target;
    var name = all.getAttribute && all.getAttribute("data-pick-all");
    if (!name) { return; }
    var boxes = document.querySelectorAll('input[type=checkbox][name="' + name + '"]');
    Array.prototype.forEach.call(boxes, function (box) { box.checked = all.checked; });
  });
})();
