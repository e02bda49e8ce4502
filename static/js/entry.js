/* Đề án entry page: add rows, pick beneficiaries, filter communes, format money, live budget totals.
   The page works without this file (rows already present are saved); the script only makes it quicker. */
(function () {
  "use strict";

  function fold(text) {
    return (text || "").replace(/đ/g, "d").replace(/Đ/g, "D").normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/\s+/g, " ").trim();
  }

  function parseMoney(text) {
    var digits = String(text || "").replace(/[.\s\u00a0]|đồng|đ/gi, "");
    return /^\d+$/.test(digits) ? parseInt(digits, 10) : 0;
  }

  function formatMoney(n) {
    return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ".");
  }

  // ---- rows: add from the <template>, renumbering __prefix__
  function addRow(prefix) {
    var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
    var tpl = document.getElementById("tpl-" + prefix);
    var index = parseInt(total.value, 10);
    var html = tpl.innerHTML.replace(/__prefix__/g, String(index));
    var holder = document.querySelector('[data-rows="' + prefix + '"]');
    holder.insertAdjacentHTML("beforeend", html);
    total.value = String(index + 1);
    var row = holder.lastElementChild;
    if (window.htmx) { window.htmx.process(row); }
    var first = row.querySelector("input:not([type=hidden]), select");
    if (first) { first.focus(); }
    recompute();
  }

  // ---- beneficiary autocomplete
  var timers = new WeakMap();
  function searchBeneficiaries(input) {
    var row = input.closest("[data-row]");
    var hidden = row.querySelector('input[type=hidden][name$="-beneficiary"]');
    hidden.value = "";
    var results = row.querySelector(".ac-results");
    clearTimeout(timers.get(input));
    timers.set(input, setTimeout(function () {
      var text = input.value.trim();
      if (text.length < 2) { results.innerHTML = ""; return; }
      fetch(input.dataset.url + "?q=" + encodeURIComponent(text), { headers: { "HX-Request": "true" } })
        .then(function (r) { return r.text(); })
        .then(function (html) { results.innerHTML = html; });
    }, 250));
  }

  function pick(button) {
    var row = button.closest("[data-row]");
    row.querySelector('input[type=hidden][name$="-beneficiary"]').value = button.dataset.id;
    var input = row.querySelector(".ac-input");
    input.value = button.dataset.label;
    row.querySelector(".ac-results").innerHTML =
      '<p class="check check-ok">' + (document.documentElement.lang === "en" ? "Selected: " : "Đã chọn: ") +
      button.dataset.label.replace(/[<>&]/g, "") + "</p>";
    input.focus();
    recompute();
  }

  // ---- live totals per source, per content, and the counterpart share
  var sources = {};
  function recompute() {
    var bySource = {}, byContent = {}, stateByContent = {}, all = 0, counterpart = 0;
    document.querySelectorAll(".bl-row").forEach(function (row) {
      var del = row.querySelector('input[name$="-DELETE"]');
      if (del && del.checked) { return; }
      var amount = parseMoney((row.querySelector(".bl-amount") || {}).value);
      if (!amount) { return; }
      var source = (row.querySelector(".bl-source") || {}).value || "";
      var content = (row.querySelector(".bl-content") || {}).value || "";
      bySource[source] = (bySource[source] || 0) + amount;
      if (content) {
        byContent[content] = (byContent[content] || 0) + amount;
        if (sources[source] && sources[source].state) { stateByContent[content] = (stateByContent[content] || 0) + amount; }
      }
      all += amount;
      if (sources[source] && sources[source].counterpart) { counterpart += amount; }
    });
    var body = document.getElementById("totals-by-source");
    if (!body) { return; }
    body.innerHTML = "";
    Object.keys(bySource).forEach(function (key) {
      var tr = document.createElement("tr");
      var th = document.createElement("th");
      th.scope = "row";
      th.textContent = sources[key] ? sources[key].name : (document.documentElement.lang === "en" ? "(no source)" : "(chưa chọn nguồn)");
      var td = document.createElement("td");
      td.className = "num";
      td.textContent = formatMoney(bySource[key]);
      tr.appendChild(th); tr.appendChild(td); body.appendChild(tr);
    });
    document.getElementById("total-all").textContent = formatMoney(all);
    document.getElementById("counterpart-share").textContent =
      all ? (Math.round(1000 * counterpart / all) / 10).toString().replace(".", ",") + "%" : "0%";
    // The support caps beside each content: state money against a share of the cost and a ceiling per
    // beneficiary, as the approval check counts them (projects.services.checks.cap_errors).
    var units = Math.max(1, Array.prototype.filter.call(document.querySelectorAll(".bf-row"), function (row) {
      var del = row.querySelector('input[name$="-DELETE"]');
      var picked = row.querySelector('input[name$="-beneficiary"]');
      var named = row.querySelector('input[name$="-new_name"]');
      return !(del && del.checked) && ((picked && picked.value) || (named && named.value.trim()));
    }).length);
    document.querySelectorAll("[data-cap-warning]").forEach(function (el) {
      var id = el.dataset.capWarning, given = stateByContent[id] || 0, cost = byContent[id] || 0, over = false;
      document.querySelectorAll('[data-cap-content="' + id + '"]').forEach(function (cap) {
        var percent = parseFloat(cap.dataset.percent), ceiling = parseInt(cap.dataset.ceiling, 10);
        if (given && !isNaN(percent) && given * 100 > cost * percent) { over = true; }
        if (given && !isNaN(ceiling) && given > ceiling * units) { over = true; }
      });
      el.hidden = !over;
    });
    document.querySelectorAll("[data-content-total]").forEach(function (el) {
      var amount = byContent[el.dataset.contentTotal] || 0;
      el.hidden = !amount;
      el.querySelector("strong").textContent = formatMoney(amount);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var data = document.getElementById("funding-sources");
    if (data) { sources = JSON.parse(data.textContent); }
    var form = document.getElementById("project-form");
    if (!form) { return; }

    form.addEventListener("click", function (event) {
      var add = event.target.closest("[data-add-row]");
      if (add) { event.preventDefault(); addRow(add.dataset.addRow); return; }
      var choice = event.target.closest(".choice");
      if (choice) { event.preventDefault(); pick(choice); }
    });
    form.addEventListener("input", function (event) {
      if (event.target.classList.contains("ac-input")) { searchBeneficiaries(event.target); }
      if (event.target.closest(".bl-row") || event.target.closest(".bf-row")) { recompute(); }
      if (event.target.id === "site-filter") {
        var needle = fold(event.target.value);
        document.querySelectorAll(".site-option").forEach(function (li) {
          li.hidden = needle && fold(li.textContent).indexOf(needle) === -1 && !li.querySelector("input:checked");
        });
      }
    });
    form.addEventListener("change", function (event) {
      if (event.target.closest(".bl-row")) { recompute(); }
    });
    form.addEventListener("keydown", function (event) {
      if (event.target.classList.contains("ac-input")) {
        var results = event.target.closest("[data-row]").querySelector(".ac-results");
        if (event.key === "ArrowDown") {
          var first = results.querySelector(".choice");
          if (first) { event.preventDefault(); first.focus(); }
        } else if (event.key === "Escape") {
          results.innerHTML = "";
        } else if (event.key === "Enter") {
          event.preventDefault();  // Enter in the search box never submits the whole form
        }
      } else if (event.target.classList.contains("choice")) {
        var item = event.target.closest("li");
        if (event.key === "ArrowDown" && item.nextElementSibling) {
          event.preventDefault(); item.nextElementSibling.querySelector(".choice").focus();
        } else if (event.key === "ArrowUp") {
          event.preventDefault();
          if (item.previousElementSibling) { item.previousElementSibling.querySelector(".choice").focus(); }
          else { event.target.closest("[data-row]").querySelector(".ac-input").focus(); }
        }
      }
    });
    form.addEventListener("focusout", function (event) {
      if (event.target.classList.contains("money")) {
        var n = parseMoney(event.target.value);
        if (n) { event.target.value = formatMoney(n); }
      }
    });
    recompute();
  });
})();
