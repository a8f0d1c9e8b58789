/* htkg workbench: what scripts add to pages that read without them.
 * - Tables with class "sortable" sort by a column when its heading is clicked;
 *   the order is kept in the address's fragment (#sort=TABLE:COLUMN:asc|desc),
 *   so a link or a reload shows the same order.
 * - Inputs marked data-suggest offer names from the graph as you type
 *   (/search.json, on this app).
 * - A map frame (htkg's own map page, served by this app) gets a bar under it:
 *   the circle selected, a link to its page and, on an entity's page, to expand
 *   it on the map (a new address, so the expanded map can be sent on too).
 * - A report frame is made as tall as the report, so the page scrolls once.
 * Every value from the graph is put in the page as text, never as markup. */
(function () {
  "use strict";

  /* -- sorting ------------------------------------------------------------------ */
  function cellValue(td) {
    var text = (td.textContent || "").trim();
    var number = text.replace(/[,\u2009 %]/g, "").replace(/^\u2212/, "-");
    if (number !== "" && !isNaN(Number(number))) return { n: Number(number), t: text };
    if (text === "\u2013" || text === "") return { n: null, t: "" };
    return { n: null, t: text.toLowerCase() };
  }

  function compare(a, b) {
    if (a.n !== null && b.n !== null) return a.n - b.n;
    if (a.n !== null) return -1;
    if (b.n !== null) return 1;
    return a.t < b.t ? -1 : a.t > b.t ? 1 : 0;
  }

  function sortTable(table, column, descending) {
    var body = table.tBodies[0];
    if (!body) return;
    var rows = Array.prototype.slice.call(body.rows);
    var keyed = rows.map(function (row, i) { return { row: row, i: i, v: cellValue(row.cells[column] || row.cells[0]) }; });
    keyed.sort(function (x, y) {
      var c = compare(x.v, y.v);
      if (descending) c = -c;
      return c || x.i - y.i;
    });
    var fragment = document.createDocumentFragment();
    keyed.forEach(function (k) { fragment.appendChild(k.row); });
    body.appendChild(fragment);
    var heads = table.tHead ? table.tHead.rows[0].cells : [];
    for (var h = 0; h < heads.length; h++) {
      heads[h].setAttribute("aria-sort", h === column ? (descending ? "descending" : "ascending") : "none");
    }
    table.setAttribute("data-sorted", column + ":" + (descending ? "desc" : "asc"));
  }

  function readSortFragment() {
    var m = /(?:^|&)sort=([^&]*)/.exec(location.hash.replace(/^#/, ""));
    if (!m) return null;
    var parts = decodeURIComponent(m[1]).split(":");
    if (parts.length !== 3) return null;
    return { table: parts[0], column: parseInt(parts[1], 10), desc: parts[2] === "desc" };
  }

  function writeSortFragment(table, column, desc) {
    var value = "sort=" + encodeURIComponent(table.id + ":" + column + ":" + (desc ? "desc" : "asc"));
    history.replaceState(null, "", location.pathname + location.search + "#" + value);
  }

  function makeSortable(table) {
    if (!table.tHead || !table.id) return;
    var heads = table.tHead.rows[0].cells;
    Array.prototype.forEach.call(heads, function (th, column) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sort";
      while (th.firstChild) button.appendChild(th.firstChild);
      th.appendChild(button);
      th.setAttribute("aria-sort", "none");
      button.addEventListener("click", function () {
        var now = table.getAttribute("data-sorted");
        var desc = now === column + ":asc";
        sortTable(table, column, desc);
        writeSortFragment(table, column, desc);
      });
    });
  }

  /* -- suggestions ------------------------------------------------------------------ */
  var suggestCount = 0;
  function suggest(input) {
    var list = document.createElement("datalist");
    list.id = "suggest-" + (++suggestCount);
    input.parentNode.appendChild(list);
    input.setAttribute("list", list.id);
    var timer = null, asked = "";
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var q = input.value.trim();
        if (q.length < 2 || q === asked) return;
        asked = q;
        fetch("/search.json?q=" + encodeURIComponent(q), { credentials: "same-origin" })
          .then(function (r) { return r.ok ? r.json() : []; })
          .then(function (found) {
            if (input.value.trim() !== q) return;
            list.replaceChildren();
            found.forEach(function (m) {
              var option = document.createElement("option");
              option.value = m.name;
              option.textContent = m.matched !== m.name ? m.matched : m.label;
              list.appendChild(option);
            });
          })
          .catch(function () { /* suggestions are a convenience: the form still works */ });
      }, 150);
    });
  }

  /* -- maps ---------------------------------------------------------------------------- */
  function entityHref(id, expand) {
    var params = new URLSearchParams();
    (expand || []).forEach(function (e) { params.append("expand", e); });
    var query = params.toString();
    return "/entity/" + encodeURIComponent(id) + (query ? "?" + query : "") + (expand ? "#map" : "");
  }

  function link(text, href, id) {
    var a = document.createElement("a");
    a.textContent = text;
    a.href = href;
    if (id) a.id = id;
    return a;
  }

  function wireMap(frame) {
    var bar = frame.parentNode.querySelector(".map-actions");
    if (!bar) {
      bar = document.createElement("p");
      bar.className = "map-actions";
      bar.hidden = true;
      frame.parentNode.insertBefore(bar, frame);
    }
    var focus = bar.getAttribute("data-entity");
    var expanded = (bar.getAttribute("data-expand") || "").split(" ").filter(Boolean);

    function expandHref(id) { return entityHref(focus, expanded.concat([id])); }

    function show(map, id) {
      var info = map.nodeInfo(id);
      if (!info) { bar.hidden = true; return; }
      var nameElement = info.querySelector(".name");
      var name = nameElement ? nameElement.textContent : id;
      bar.replaceChildren();
      var strong = document.createElement("strong");
      strong.textContent = name;
      bar.appendChild(document.createTextNode("Selected: "));
      bar.appendChild(strong);
      bar.appendChild(document.createTextNode(" \u00b7 "));
      bar.appendChild(link("Open its page", entityHref(id), "map-open"));
      if (focus && id !== focus && expanded.indexOf(id) < 0) {
        bar.appendChild(document.createTextNode(" \u00b7 "));
        bar.appendChild(link("Expand it on this map", expandHref(id), "map-expand"));
      }
      bar.hidden = false;
    }

    function hook() {
      var win = frame.contentWindow;
      var map = win && win.htkgMap;
      if (!map) return false;
      map.network.on("click", function (p) {
        if (p.nodes.length) show(map, p.nodes[0]); else bar.hidden = true;
      });
      map.network.on("doubleClick", function (p) {
        if (p.nodes.length && focus && p.nodes[0] !== focus && expanded.indexOf(p.nodes[0]) < 0) {
          location.href = expandHref(p.nodes[0]);
        }
      });
      frame.setAttribute("data-wired", "true");
      return true;
    }

    function tryHook(tries) {
      try {
        if (hook() || tries <= 0) return;
      } catch (e) { return; }
      setTimeout(function () { tryHook(tries - 1); }, 100);
    }
    frame.addEventListener("load", function () { tryHook(50); });
    if (frame.contentDocument && frame.contentDocument.readyState === "complete") tryHook(50);
  }

  /* -- reports -------------------------------------------------------------------------- */
  function fitReport(frame) {
    function fit() {
      try {
        var doc = frame.contentDocument;
        if (doc && doc.documentElement) {
          frame.style.height = (doc.documentElement.scrollHeight + 24) + "px";
        }
      } catch (e) { /* another origin: keep the frame's own height */ }
    }
    frame.addEventListener("load", fit);
    window.addEventListener("resize", fit);
  }

  /* A query form leaves its empty fields out of the address it opens, so a link to
   * the results names only what was asked (the fields are enabled again at once). */
  function dropEmptyFields(form) {
    form.addEventListener("submit", function () {
      var emptied = Array.prototype.filter.call(form.elements, function (el) {
        return el.name && !el.disabled && /^(INPUT|SELECT)$/.test(el.tagName) && el.value === "";
      });
      emptied.forEach(function (el) { el.disabled = true; });
      setTimeout(function () { emptied.forEach(function (el) { el.disabled = false; }); }, 0);
    });
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("form.query-form"), dropEmptyFields);
    Array.prototype.forEach.call(document.querySelectorAll("table.sortable"), makeSortable);
    var wanted = readSortFragment();
    if (wanted) {
      var table = document.getElementById(wanted.table);
      if (table && table.classList.contains("sortable") && !isNaN(wanted.column)) {
        sortTable(table, wanted.column, wanted.desc);
      }
    }
    Array.prototype.forEach.call(document.querySelectorAll("input[data-suggest]"), suggest);
    Array.prototype.forEach.call(document.querySelectorAll("iframe.map-frame"), wireMap);
    Array.prototype.forEach.call(document.querySelectorAll("iframe.report-frame"), fitReport);
    document.documentElement.setAttribute("data-app-ready", "true");
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
