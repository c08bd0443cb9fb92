// Search: the header's box over the Pagefind index (generator/site/searchindex.py), through
// Pagefind's JavaScript API. A progressive enhancement: without this script the header
// shows a link to the articles instead. Nothing of the index is loaded until the reader
// comes to the box; then a few kilobytes, and for each query only the chunks it needs.
// The filters' values (a file per filter, growing with the site) load when the reader
// opens the filters.
// Everything shown is set as text, never as HTML; the excerpt's <mark>s are rebuilt.
// Enter, or "See all results", opens the results page (search-page.js), which shares the
// loading and the drawing of results defined here (window.ifgSearch).
(function () {
  "use strict";
  if (!document.currentScript) return;
  // This file is assets/ifg/search.js: the site's root is two folders up.
  var root = new URL("../../", document.currentScript.src);
  var pagefind = null;
  var loading = null;

  function load() {
    if (!loading) {
      loading = import(new URL("pagefind/pagefind.js", root).href).then(function (module) {
        return module.options({ baseUrl: root.pathname, excerptLength: 24 }).then(function () {
          pagefind = module;
          return module;
        });
      }).catch(function () {
        loading = null;
        throw new Error("search index unavailable");
      });
    }
    return loading;
  }

  // Pagefind's excerpt is HTML with the matches in <mark>: keep the text and the marks only.
  function excerpt(html) {
    var paragraph = document.createElement("p");
    paragraph.className = "ifg-search__excerpt";
    var parsed = new DOMParser().parseFromString(html, "text/html").body;
    Array.prototype.forEach.call(parsed.childNodes, function (node) {
      if (node.nodeName === "MARK") {
        var mark = document.createElement("mark");
        mark.textContent = node.textContent;
        paragraph.appendChild(mark);
      } else {
        paragraph.appendChild(document.createTextNode(node.textContent));
      }
    });
    return paragraph;
  }

  function item(data) {
    var li = document.createElement("li");
    li.className = "ifg-search__result";
    var link = document.createElement("a");
    link.className = "ifg-search__title";
    link.textContent = (data.meta && data.meta.title) || data.url;
    var target = new URL(data.url, root);
    if (target.origin === root.origin) link.href = target.href; // a page of this site, or no link
    li.appendChild(link);
    if (data.meta && data.meta.date) {
      var date = document.createElement("p");
      date.className = "ifg-search__date";
      date.textContent = data.meta.date;
      li.appendChild(date);
    }
    li.appendChild(excerpt(data.excerpt || ""));
    return li;
  }

  function fillFilters(selects, filters) {
    selects.forEach(function (select) {
      var values = filters[select.dataset.ifgFilter] || {};
      Object.keys(values).sort(function (a, b) { return a.localeCompare(b); }).forEach(function (value) {
        var option = document.createElement("option");
        option.value = value;
        option.textContent = value + " (" + values[value] + ")";
        select.appendChild(option);
      });
    });
  }

  function chosenFilters(selects) {
    var filters = {};
    selects.forEach(function (select) {
      if (select.value) filters[select.dataset.ifgFilter] = select.value;
    });
    return filters;
  }

  // The results page's address for a term and filters: /search/?q=...&tag=...
  function resultsUrl(term, filters) {
    var params = new URLSearchParams();
    if (term) params.set("q", term);
    Object.keys(filters).sort().forEach(function (name) { params.set(name, filters[name]); });
    var query = params.toString();
    return new URL("search/" + (query ? "?" + query : ""), root).href;
  }

  // For the results page (search-page.js), which loads after this file.
  window.ifgSearch = { root: root, load: load, item: item, fillFilters: fillFilters,
                       chosenFilters: chosenFilters, resultsUrl: resultsUrl };

  var box = document.querySelector("[data-ifg-search]");
  if (!box) return;
  var form = box.querySelector(".ifg-search__form");
  var input = box.querySelector(".ifg-search__input");
  var panel = box.querySelector(".ifg-search__panel");
  var status = box.querySelector(".ifg-search__status");
  var list = box.querySelector(".ifg-search__results");
  var filterBox = box.querySelector(".ifg-search__filters");
  var selects = Array.prototype.slice.call(box.querySelectorAll("[data-ifg-filter]"));
  var allLink = box.querySelector(".ifg-search__all");
  var SHOWN = 10;
  var loadingFilters = null;
  var latest = 0; // the newest search: results of older ones are dropped
  var shownKey = null; // the term and filters whose results the list shows
  var shownStatus = ""; // and the status line that went with them
  var timer = null;

  function loadFilters() {
    if (!loadingFilters) {
      loadingFilters = load().then(function () { return pagefind.filters(); })
        .then(function (filters) { fillFilters(selects, filters); })
        .catch(function () { loadingFilters = null; });
    }
    return loadingFilters;
  }

  function open() {
    panel.hidden = false;
  }

  function close() {
    panel.hidden = true;
  }

  function describe(total, shown, term) {
    var what = term ? " for \u201c" + term + "\u201d" : "";
    if (total === 0) return "No article found" + what + ".";
    var count = total === 1 ? "1 article" : total + " articles";
    return shown < total ? "Showing " + shown + " of " + count + what + "." : count + " found" + what + ".";
  }

  function run() {
    var term = input.value.trim();
    var filters = chosenFilters(selects);
    allLink.href = resultsUrl(term, filters);
    var key = JSON.stringify([term, filters]);
    var number = ++latest;
    // The same search as the list shows (a space typed, the box reopened): the list stays,
    // and so does the keyboard focus in it.
    if (key === shownKey) {
      status.textContent = shownStatus; // a newer search may have said "Searching"
      return;
    }
    if (!term && !Object.keys(filters).length) {
      list.replaceChildren();
      status.textContent = shownStatus = "Type a word to search the articles.";
      shownKey = key;
      return;
    }
    status.textContent = "Searching\u2026";
    load().then(function () {
      return pagefind.search(term || null, { filters: filters });
    }).then(function (search) {
      return Promise.all(search.results.slice(0, SHOWN).map(function (result) { return result.data(); }))
        .then(function (pages) { return { total: search.results.length, pages: pages }; });
    }).then(function (found) {
      if (number !== latest) return;
      list.replaceChildren.apply(list, found.pages.map(item));
      status.textContent = shownStatus = describe(found.total, found.pages.length, term);
      shownKey = key;
    }).catch(function () {
      if (number !== latest) return;
      list.replaceChildren();
      shownKey = null;
      status.textContent = "Search is not available right now: browse all articles or tags instead.";
    });
  }

  function soon() {
    open();
    clearTimeout(timer);
    timer = setTimeout(run, 120);
  }

  input.addEventListener("focus", function () { load().catch(function () {}); });
  filterBox.addEventListener("toggle", function () { if (filterBox.open) loadFilters(); });
  input.addEventListener("input", soon);
  selects.forEach(function (select) { select.addEventListener("change", function () { open(); run(); }); });
  // Enter: the results page, every match, at an address that can be shared (and Back returns here).
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    clearTimeout(timer);
    window.location.assign(resultsUrl(input.value.trim(), chosenFilters(selects)));
  });

  box.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && !panel.hidden) {
      event.preventDefault();
      close();
      input.focus();
    } else if (event.key === "ArrowDown" && event.target === input) {
      var first = list.querySelector("a[href]");
      if (first) { event.preventDefault(); open(); first.focus(); }
    }
  });
  document.addEventListener("click", function (event) {
    if (!box.contains(event.target)) close();
  });
  box.addEventListener("focusout", function (event) {
    if (event.relatedTarget && !box.contains(event.relatedTarget)) close();
  });
  input.addEventListener("click", function () { if (input.value.trim()) open(); });

  // `/` or `s` from anywhere but a field: to the search box.
  document.addEventListener("keydown", function (event) {
    if ((event.key !== "/" && event.key !== "s") || event.ctrlKey || event.metaKey || event.altKey) return;
    var target = event.target;
    if (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName)) return;
    event.preventDefault();
    input.focus();
  });

  box.querySelector(".ifg-search__fallback").hidden = true;
  form.hidden = false;
})();
