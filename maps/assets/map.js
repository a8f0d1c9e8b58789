/* htkg map page. Reads the map's data from the JSON block, draws it with
 * vis-network, and wires the search box, the kind filter, tooltips and the
 * details panel. Every value from the graph reaches the page as text
 * (textContent, option.value, fillText), never as markup. Positions and the
 * place of each name come from Python (maps/layout.py, maps/labels.py): the
 * page never moves a node by itself, writes each name where it was placed
 * (so no two overlap, at any zoom), and fits nodes and names to the window
 * on opening. window.htkgMap exposes the network and a few functions for
 * tests and curious users. */
(function () {
  "use strict";
  var t0 = performance.now();
  var data = JSON.parse(document.getElementById("htkg-data").textContent);
  var container = document.getElementById("network");
  var tooltip = document.getElementById("tooltip");
  var detailBody = document.getElementById("detail-body");
  var status = document.getElementById("status");
  var byId = Object.create(null);
  var edgeById = Object.create(null);
  var hiddenKinds = Object.create(null);
  var state = { ready: false, stabilised: true, fitted: false, moved: false,
                timing: { start: t0 } };
  var FONT = "DejaVu Sans, Arial, sans-serif";
  var FIT_PADDING = 24;      /* CSS pixels kept clear round the map when it is fitted */
  var MAX_FIT_SCALE = 1.6;   /* a small map is not blown up past this */
  var MIN_NAME_PX = 5;       /* names smaller than this on screen are not drawn */

  function text(tag, value, cls) {
    var el = document.createElement(tag);
    el.textContent = value == null ? "" : String(value);
    if (cls) el.className = cls;
    return el;
  }

  /* A tooltip or details block: the name, then key/value lines, all as text. */
  function infoElement(name, lines) {
    var box = document.createElement("div");
    box.className = "info";
    box.appendChild(text("div", name, "name"));
    var dl = document.createElement("dl");
    for (var i = 0; i < lines.length; i++) {
      dl.appendChild(text("dt", lines[i][0]));
      dl.appendChild(text("dd", lines[i][1]));
    }
    box.appendChild(dl);
    return box;
  }

  var nodeItems = data.nodes.map(function (n) {
    byId[n.id] = n;
    var colour = data.colours[n.cat] || "#888888";
    return {
      id: n.id,
      x: n.x, y: n.y,
      size: n.size,
      cat: n.cat,
      borderWidth: n.focus ? data.border[1] : data.border[0],
      color: {
        background: colour, border: n.focus ? "#111111" : "rgba(0,0,0,0.45)",
        highlight: { background: colour, border: "#111111" },
        hover: { background: colour, border: "#111111" }
      }
    };
  });
  var edgeItems = data.edges.map(function (e, i) {
    var id = "e" + i;
    edgeById[id] = e;
    return {
      id: id, from: e.from, to: e.to, width: e.width,
      color: { color: e.colour, highlight: "#111111", hover: "#111111", opacity: 0.7 }
    };
  });

  var big = data.nodes.length > 300;
  var options = {
    autoResize: true,
    layout: { improvedLayout: false },
    physics: false,
    interaction: {
      hover: true, tooltipDelay: 80, hideEdgesOnDrag: big, hideEdgesOnZoom: big,
      keyboard: false, multiselect: false, navigationButtons: false
    },
    nodes: { shape: "dot", borderWidthSelected: 3 },
    edges: {
      smooth: false,
      arrows: { to: { enabled: true, scaleFactor: 0.45 } },
      selectionWidth: 1.5, hoverWidth: 0.5
    }
  };

  var nodes = new vis.DataSet(nodeItems);
  var edges = new vis.DataSet(edgeItems);
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, options);
  state.timing.created = performance.now();

  /* -- names ---------------------------------------------------------------------- */
  var named = data.nodes.filter(function (n) { return n.label; });
  var shrink = null;   /* per node: how much the page's own font must shrink to fit its box */
  function measureNames(ctx) {
    shrink = Object.create(null);
    ctx.save();
    named.forEach(function (n) {
      var L = n.label;
      ctx.font = L.size + "px " + FONT;
      var widest = 0;
      L.lines.forEach(function (line) { widest = Math.max(widest, ctx.measureText(line).width); });
      shrink[n.id] = widest > L.w ? L.w / widest : 1;
    });
    ctx.restore();
  }
  function visibleNamed() {
    return named.filter(function (n) { return !hiddenKinds[n.cat]; });
  }
  /* Each name's box in canvas coordinates, where it is drawn now. */
  function nameBoxes(list) {
    var pos = network.getPositions(list.map(function (n) { return n.id; }));
    return list.map(function (n) {
      var L = n.label, p = pos[n.id];
      var cx = p.x + L.dx, cy = p.y + L.dy;
      return { id: n.id, x0: cx - L.w / 2, y0: cy - L.h / 2, x1: cx + L.w / 2, y1: cy + L.h / 2,
               cx: cx, cy: cy };
    });
  }
  network.on("afterDrawing", function (ctx) {
    if (!shrink) measureNames(ctx);
    var scale = network.getScale();
    var list = visibleNamed();
    var boxes = nameBoxes(list);
    ctx.save();
    ctx.textAlign = "center";
    ctx.textBaseline = "middle";
    ctx.lineJoin = "round";
    ctx.strokeStyle = "#ffffff";
    ctx.fillStyle = "#1b1b1b";
    for (var i = 0; i < list.length; i++) {
      var n = list[i], L = n.label, b = boxes[i];
      var size = L.size * shrink[n.id];
      if (size * scale < MIN_NAME_PX) continue;
      ctx.font = size + "px " + FONT;
      ctx.lineWidth = Math.min(4, size / 3.5);
      var step = L.h / L.lines.length;
      for (var k = 0; k < L.lines.length; k++) {
        var y = b.y0 + step * (k + 0.5);
        ctx.strokeText(L.lines[k], b.cx, y);
        ctx.fillText(L.lines[k], b.cx, y);
      }
    }
    ctx.restore();
  });

  /* -- fitting the window ---------------------------------------------------------- */
  /* The box round every shown node and name, in canvas coordinates. */
  function extent() {
    var shown = data.nodes.filter(function (n) { return !hiddenKinds[n.cat]; });
    if (!shown.length) shown = data.nodes;
    var pos = network.getPositions(shown.map(function (n) { return n.id; }));
    var box = { x0: Infinity, y0: Infinity, x1: -Infinity, y1: -Infinity };
    shown.forEach(function (n) {
      var p = pos[n.id], r = n.size + (n.focus ? data.border[1] : data.border[0]);
      box.x0 = Math.min(box.x0, p.x - r); box.x1 = Math.max(box.x1, p.x + r);
      box.y0 = Math.min(box.y0, p.y - r); box.y1 = Math.max(box.y1, p.y + r);
    });
    nameBoxes(shown.filter(function (n) { return n.label; })).forEach(function (b) {
      box.x0 = Math.min(box.x0, b.x0); box.x1 = Math.max(box.x1, b.x1);
      box.y0 = Math.min(box.y0, b.y0); box.y1 = Math.max(box.y1, b.y1);
    });
    return box;
  }
  /* Every shown node and name inside the window, with padding (vis-network's own
   * fit knows nothing of names drawn by this page, nor of padding). */
  function fit() {
    if (!data.nodes.length) return;
    var box = extent();
    var w = container.clientWidth, h = container.clientHeight;
    var scale = Math.min((w - 2 * FIT_PADDING) / Math.max(box.x1 - box.x0, 1),
                         (h - 2 * FIT_PADDING) / Math.max(box.y1 - box.y0, 1), MAX_FIT_SCALE);
    network.moveTo({ position: { x: (box.x0 + box.x1) / 2, y: (box.y0 + box.y1) / 2 },
                     scale: Math.max(scale, 0.01), animation: false });
    state.fitted = true;
  }

  network.once("afterDrawing", function () { state.timing.firstDraw = performance.now(); });
  function markReady() {
    if (state.ready) return;
    fit();
    network.once("afterDrawing", function () {
      state.timing.drawn = performance.now();
      state.timing.stabilised = state.timing.drawn;
      state.ready = true;
      document.documentElement.setAttribute("data-map-ready", "true");
    });
    network.redraw();
  }
  markReady();
  /* Until the reader zooms or pans, the map keeps fitting the window as it changes. */
  network.on("zoom", function () { state.moved = true; });
  network.on("dragEnd", function (p) { if (!p.nodes.length) state.moved = true; });
  network.on("resize", function () { if (!state.moved) fit(); });

  /* -- tooltips and details ------------------------------------------------ */
  function nodeInfo(id) {
    var n = byId[id];
    return n ? infoElement(n.name, n.info) : null;
  }
  function edgeInfo(id) {
    var e = edgeById[id];
    return e ? infoElement(e.text || e.type, e.info) : null;
  }
  function showTooltip(el, pointer) {
    if (!el) return;
    tooltip.replaceChildren(el);
    tooltip.hidden = false;
    var rect = container.getBoundingClientRect();
    var x = rect.left + pointer.x + 14, y = rect.top + pointer.y + 14;
    var w = tooltip.offsetWidth, h = tooltip.offsetHeight;
    if (x + w > window.innerWidth - 4) x = Math.max(4, x - w - 28);
    if (y + h > window.innerHeight - 4) y = Math.max(4, y - h - 28);
    tooltip.style.left = x + "px";
    tooltip.style.top = y + "px";
  }
  function hideTooltip() { tooltip.hidden = true; tooltip.replaceChildren(); }
  network.on("hoverNode", function (p) { showTooltip(nodeInfo(p.node), p.pointer.DOM); });
  network.on("hoverEdge", function (p) { showTooltip(edgeInfo(p.edge), p.pointer.DOM); });
  network.on("blurNode", hideTooltip);
  network.on("blurEdge", hideTooltip);
  network.on("dragStart", hideTooltip);
  network.on("zoom", hideTooltip);

  function showDetails(el) {
    detailBody.replaceChildren(el || text("p", "Click a circle or a line, or find one by name.", "hint"));
  }
  network.on("click", function (p) {
    if (p.nodes.length) showDetails(nodeInfo(p.nodes[0]));
    else if (p.edges.length) showDetails(edgeInfo(p.edges[0]));
    else showDetails(null);
  });

  /* -- search ------------------------------------------------------------- */
  function norm(s) {
    var t = String(s).normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/&/g, " and ").replace(/['\u2019]/g, "").replace(/[^\p{L}\p{N}]+/gu, " ").trim();
    return t.indexOf("the ") === 0 && t.length > 4 ? t.slice(4) : t;
  }
  var index = [];            // [normalised name, node id]
  var datalist = document.getElementById("names");
  var listed = Object.create(null);
  var fragment = document.createDocumentFragment();
  data.nodes.forEach(function (n) {
    n.names.forEach(function (name) {
      index.push([norm(name), n.id, name]);
      if (!listed[name] && name !== n.id) {
        listed[name] = true;
        var opt = document.createElement("option");
        opt.value = name;
        fragment.appendChild(opt);
      }
    });
  });
  datalist.appendChild(fragment);

  function find(query) {
    var q = norm(query);
    if (!q) return null;
    var raw = String(query).trim();
    var tests = [
      function (e) { return e[2] === raw; },
      function (e) { return e[0] === q; },
      function (e) { return e[0].indexOf(q) === 0; },
      function (e) { return e[0].indexOf(q) >= 0; }
    ];
    for (var t = 0; t < tests.length; t++) {
      var best = null;
      for (var i = 0; i < index.length; i++) {
        if (tests[t](index[i])) {
          var id = index[i][1];
          if (best === null || byId[id].size > byId[best].size) best = id;
        }
      }
      if (best !== null) return best;
    }
    return null;
  }

  function focusNode(id, animate) {
    var n = byId[id];
    if (!n) return false;
    if (hiddenKinds[n.cat]) setKind(n.cat, true);
    network.selectNodes([id]);
    network.focus(id, {
      scale: Math.max(network.getScale(), 1.1),
      animation: animate === false ? false : { duration: 350, easingFunction: "easeInOutQuad" }
    });
    showDetails(nodeInfo(id));
    return true;
  }

  document.getElementById("search").addEventListener("submit", function (ev) {
    ev.preventDefault();
    var q = document.getElementById("q").value;
    var id = find(q);
    if (id) {
      status.textContent = "";
      focusNode(id);
    } else {
      status.textContent = q.trim() ? "Nothing on the map is called \u201c" + q.trim() + "\u201d." : "";
    }
  });

  /* -- filter by kind ---------------------------------------------------------- */
  function setKind(cat, visible) {
    if (visible) delete hiddenKinds[cat]; else hiddenKinds[cat] = true;
    var boxes = document.querySelectorAll("#legend input[type=checkbox]");
    for (var i = 0; i < boxes.length; i++) {
      if (boxes[i].dataset.category === cat) boxes[i].checked = visible;
    }
    var changes = [];
    data.nodes.forEach(function (n) {
      if (n.cat === cat) changes.push({ id: n.id, hidden: !visible });
    });
    nodes.update(changes);
  }
  Array.prototype.forEach.call(document.querySelectorAll("#legend input[type=checkbox]"),
    function (box) {
      box.addEventListener("change", function () { setKind(box.dataset.category, box.checked); });
    });
  document.getElementById("show-all").addEventListener("click", function () {
    Object.keys(hiddenKinds).forEach(function (cat) { setKind(cat, true); });
  });
  document.getElementById("fit").addEventListener("click", function () {
    fit();
    state.moved = false;
  });

  window.htkgMap = {
    network: network, nodes: nodes, edges: edges, state: state,
    find: find, focusNode: focusNode, setKind: setKind, fit: fit,
    /* Each drawn name's box in the page's pixels (relative to the map's canvas),
     * as the page's own font measures it now. */
    nameBoxes: function () {
      var scale = network.getScale();
      var list = visibleNamed().filter(function (n) { return n.label.size * shrink[n.id] * scale >= MIN_NAME_PX; });
      return nameBoxes(list).map(function (b, i) {
        var n = list[i], L = n.label, ctx = container.querySelector("canvas").getContext("2d");
        ctx.save();
        ctx.font = (L.size * shrink[n.id]) + "px " + FONT;
        var widest = 0;
        L.lines.forEach(function (line) { widest = Math.max(widest, ctx.measureText(line).width); });
        ctx.restore();
        var a = network.canvasToDOM({ x: b.cx - widest / 2, y: b.y0 });
        var z = network.canvasToDOM({ x: b.cx + widest / 2, y: b.y1 });
        return { id: n.id, text: L.lines.join(" "), x0: a.x, y0: a.y, x1: z.x, y1: z.y };
      });
    },
    nodeInfo: nodeInfo, edgeInfo: edgeInfo,
    hiddenKinds: function () { return Object.keys(hiddenKinds); }
  };
})();
