// Resource filters: a progressive enhancement. Without this script the page shows the
// full list; with it, the form appears and narrows the list by category, cost and benefit.
(function () {
  "use strict";
  var form = document.getElementById("ifg-resource-filters");
  if (!form) return;
  var status = document.getElementById("ifg-filter-status");
  var empty = document.getElementById("ifg-filter-empty");
  var groups = Array.prototype.slice.call(document.querySelectorAll(".ifg-resource-group"));
  var items = Array.prototype.slice.call(document.querySelectorAll(".ifg-resource-group .ifg-resource"));
  var fields = ["category", "cost", "benefit"];

  function matches(item, wanted) {
    if (wanted.category && item.dataset.category !== wanted.category) return false;
    if (wanted.cost && item.dataset.cost !== wanted.cost) return false;
    if (wanted.benefit && item.dataset.benefits.split(" ").indexOf(wanted.benefit) === -1) return false;
    return true;
  }

  function apply() {
    var wanted = {};
    fields.forEach(function (name) { wanted[name] = form.elements[name].value; });
    var shown = 0;
    items.forEach(function (item) {
      var visible = matches(item, wanted);
      item.hidden = !visible;
      if (visible) shown += 1;
    });
    groups.forEach(function (group) {
      group.hidden = !group.querySelector(".ifg-resource:not([hidden])");
    });
    empty.hidden = shown !== 0;
    status.textContent = shown === items.length
      ? "Showing all " + items.length + " resources."
      : "Showing " + shown + " of " + items.length + " resources.";
    // Keep the choice in the address, so a filtered list can be shared.
    var params = new URLSearchParams();
    fields.forEach(function (name) { if (wanted[name]) params.set(name, wanted[name]); });
    var query = params.toString();
    history.replaceState(null, "", query ? "?" + query : location.pathname);
  }

  var initial = new URLSearchParams(location.search);
  fields.forEach(function (name) {
    var select = form.elements[name];
    var value = initial.get(name);
    if (value && select.querySelector('option[value="' + CSS.escape(value) + '"]')) select.value = value;
    select.addEventListener("change", apply);
  });
  form.addEventListener("reset", function () { setTimeout(apply, 0); });
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  form.hidden = false;
  apply();
})();
