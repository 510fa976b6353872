/* Aftersales — the page behaviour that would otherwise be inline script (Content-Security-Policy allows
   scripts only from the app's own static files). Delegated from the document, so parts swapped in by htmx
   behave the same. */
(function () {
  "use strict";

  // <button data-confirm="…"> and <form data-confirm="…">: ask before submitting.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-confirm]");
    if (button && !window.confirm(button.dataset.confirm)) event.preventDefault();
  });
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.matches("form[data-confirm]") && !window.confirm(form.dataset.confirm)) event.preventDefault();
  });

  document.addEventListener("click", function (event) {
    var target = event.target;
    if (target.closest("[data-print]")) window.print();
    if (target.matches("input[data-select-on-click]")) target.select();
    // a check box data-check-all=".bulk-pick" ticks or clears every box of that class
    if (target.matches("input[data-check-all]")) {
      document.querySelectorAll(target.dataset.checkAll).forEach(function (box) { box.checked = target.checked; });
    }
  });

  // <select data-suggests="#other-select" data-suggestions="json-script-id">: choosing a value proposes the
  // other select's value (a discipline reason proposes its kind, R-6.4); the user may still change it.
  document.addEventListener("change", function (event) {
    var select = event.target;
    if (!select.matches("select[data-suggests]")) return;
    var suggestions = JSON.parse(document.getElementById(select.dataset.suggestions).textContent);
    var other = document.querySelector(select.dataset.suggests);
    if (other && suggestions[select.value]) other.value = suggestions[select.value];
  });
})();
