// The search results page (/search/?q=...&tag=...): every match of the address's query,
// with its excerpt, and the filters by benefit, tag and author. The address is the state:
// a search made here is pushed to the history (Back returns to the one before), and the
// page answers Back and Forward by reading the address again. It shares Pagefind's
// loading and the drawing of results with the header's box (search.js: window.ifgSearch).
(function () {
  "use strict";
  var shared = window.ifgSearch;
  var page = document.querySelector("[data-ifg-search-page]");
  if (!page || !shared) return;
  var form = page.querySelector(".ifg-search-page__form");
  var input = form.querySelector("input[name=q]");
  var status = page.querySelector(".ifg-search-page__status");
  var list = page.querySelector(".ifg-search-page__results");
  var selects = Array.prototype.slice.call(form.querySelectorAll("[data-ifg-filter]"));
  var BATCH = 50; // results' data fetched at a time: one small file each
  var latest = 0;
  var filtersReady = null;

  function fromAddress() {
    input.value = new URLSearchParams(window.location.search).get("q") || "";
    filtersFromAddress();
  }

  function filtersFromAddress() {
    var params = new URLSearchParams(window.location.search);
    selects.forEach(function (select) {
      var wanted = params.get(select.dataset.ifgFilter) || "";
      if (wanted && !Array.prototype.some.call(select.options, function (o) { return o.value === wanted; })) {
        var option = document.createElement("option"); // until the filters' values load
        option.value = option.textContent = wanted;
        select.appendChild(option);
      }
      select.value = wanted;
    });
  }

  function describe(total, term) {
    var what = term ? " for \u201c" + term + "\u201d" : "";
    if (total === 0) return "No article found" + what + ": try another word, or browse the articles.";
    return (total === 1 ? "1 article" : total + " articles") + " found" + what + ".";
  }

  // Every result, fetched BATCH at a time, in order.
  function allData(results, number) {
    var pages = [];
    function next(start) {
      if (number !== latest || start >= results.length) return Promise.resolve(pages);
      return Promise.all(results.slice(start, start + BATCH).map(function (r) { return r.data(); }))
        .then(function (batch) { pages = pages.concat(batch); return next(start + BATCH); });
    }
    return next(0);
  }

  function run() {
    var term = input.value.trim();
    var filters = shared.chosenFilters(selects);
    var number = ++latest;
    document.title = (term ? "\u201c" + term + "\u201d: " : "") + document.title.replace(/^\u201c.*?\u201d: /, "");
    if (!term && !Object.keys(filters).length) {
      list.replaceChildren();
      status.textContent = "Type a word and press Enter to search every article.";
      return;
    }
    status.textContent = "Searching\u2026";
    shared.load().then(function (pagefind) {
      return pagefind.search(term || null, { filters: filters });
    }).then(function (search) {
      return allData(search.results, number);
    }).then(function (pages) {
      if (number !== latest) return;
      list.replaceChildren.apply(list, pages.map(shared.item));
      status.textContent = describe(pages.length, term);
    }).catch(function () {
      if (number !== latest) return;
      list.replaceChildren();
      status.textContent = "Search is not available right now: browse the articles or tags instead.";
    });
  }

  function loadFilters() {
    if (!filtersReady) {
      filtersReady = shared.load().then(function (pagefind) { return pagefind.filters(); }).then(function (values) {
        selects.forEach(function (select) { // the placeholder options of fromAddress go
          Array.prototype.slice.call(select.options, 1).forEach(function (o) { o.remove(); });
        });
        shared.fillFilters(selects, values);
        filtersFromAddress(); // the words typed meanwhile stay
      }).catch(function () { filtersReady = null; });
    }
    return filtersReady;
  }

  // A new search: a new entry in the history, so that Back returns to the one before.
  function searchFromForm() {
    var url = shared.resultsUrl(input.value.trim(), shared.chosenFilters(selects));
    if (url !== window.location.href) window.history.pushState(null, "", url);
    run();
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    searchFromForm();
  });
  selects.forEach(function (select) { select.addEventListener("change", searchFromForm); });
  window.addEventListener("popstate", function () { fromAddress(); run(); });

  page.querySelector("[data-ifg-search-nojs]").hidden = true;
  form.hidden = false;
  fromAddress();
  run();
  loadFilters();
  if (!input.value) input.focus();
})();
