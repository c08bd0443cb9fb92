// The Internship Field Guide's additions to Decap CMS: the formats of our data files,
// and a preview that looks like the site. Loaded after decap-cms.js, which starts the
// CMS once the page has loaded (and reads config.yml beside this page).
(function () {
  "use strict";
  var yaml = window.jsyaml;
  // Dates stay text ("2026-11-20"): the core schema has no timestamps, so nothing is
  // turned into a Date and written back as a time.
  var schema = yaml.CORE_SCHEMA;
  // flowLevel 2: an entry's short lists stay on its line, `benefits: [networking, resume]`, as written.
  var dumpOptions = { schema: schema, lineWidth: -1, noRefs: true, flowLevel: 2 };

  // The comment lines a data file starts with (its `$schema` line for editors' tools).
  function header(text) {
    var lines = text.split("\n"), kept = [];
    for (var i = 0; i < lines.length && /^#/.test(lines[i]); i++) kept.push(lines[i]);
    return kept.join("\n");
  }
  function withHeader(data, body) {
    return (data.header ? data.header + "\n" : "") + body;
  }

  // resources.yml, benefits.yml, categories.yml: a list at the top, which Decap cannot
  // edit (a file is a mapping of fields), shown to it as {items: [...]}.
  CMS.registerCustomFormat("field-guide-list", "yml", {
    fromFile: function (text) {
      return { header: header(text), items: yaml.load(text, { schema: schema }) || [] };
    },
    toFile: function (data) {
      return withHeader(data, yaml.dump(data.items || [], dumpOptions));
    },
  });

  // authors.yml: a mapping by id, shown as {items: [{id, ...}]} and written back by id.
  CMS.registerCustomFormat("field-guide-map", "yml", {
    fromFile: function (text) {
      var byId = yaml.load(text, { schema: schema }) || {};
      var items = Object.keys(byId).map(function (id) {
        return Object.assign({ id: id }, byId[id]);
      });
      return { header: header(text), items: items };
    },
    toFile: function (data) {
      var byId = {};
      (data.items || []).forEach(function (item) {
        var rest = Object.assign({}, item);
        delete rest.id;
        byId[item.id] = rest;
      });
      return withHeader(data, yaml.dump(byId, dumpOptions));
    },
  });

  // The site's own style sheets (Material's and ours), named by the build in <link
  // rel="preview-style">, styling the preview pane.
  document.querySelectorAll('link[rel="preview-style"]').forEach(function (link) {
    CMS.registerPreviewStyle(link.href);
  });

  // An article as the site shows it: Material's typeset body under its title.
  var ArticlePreview = createClass({
    render: function () {
      var entry = this.props.entry;
      var title = entry.getIn(["data", "title"]);
      var description = entry.getIn(["data", "description"]);
      return h("div", { className: "md-container" },
        h("main", { className: "md-main" },
          h("div", { className: "md-content" },
            h("article", { className: "md-content__inner md-typeset" },
              h("h1", {}, title),
              description ? h("p", { className: "ifg-lead" }, description) : null,
              this.props.widgetFor("body")))));
    },
  });
  CMS.registerPreviewTemplate("articles", ArticlePreview);
})();
