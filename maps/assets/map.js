/* htkg map page. Reads the map's data from the JSON block, draws it with
 * vis-network, and wires the search box, the kind filter, tooltips and the
 * details panel. Every value from the graph reaches the page as text
 * (textContent, option.value), never as markup. window.htkgMap exposes the
 * network and a few functions for tests and curious users. */
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
  var state = { ready: false, stabilised: !data.physics, timing: { start: t0 } };

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

  function shortLabel(name) {
    return name.length > 42 ? name.slice(0, 40) + "\u2026" : name;
  }

  var nodeItems = data.nodes.map(function (n) {
    byId[n.id] = n;
    var colour = data.colours[n.cat] || "#888888";
    return {
      id: n.id,
      label: shortLabel(n.name),
      x: n.x, y: n.y,
      size: n.size,
      cat: n.cat,
      borderWidth: n.focus ? 4 : 1.5,
      color: {
        background: colour, border: n.focus ? "#111111" : "rgba(0,0,0,0.45)",
        highlight: { background: colour, border: "#111111" },
        hover: { background: colour, border: "#111111" }
      },
      font: { size: n.font }
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

  var big = !data.physics;
  var options = {
    autoResize: true,
    layout: { improvedLayout: false },
    physics: data.physics ? {
      enabled: true,
      solver: "barnesHut",
      barnesHut: { gravitationalConstant: -4000, centralGravity: 0.12, springLength: 150,
                   springConstant: 0.03, damping: 0.35, avoidOverlap: 0.6 },
      stabilization: { enabled: true, iterations: 250, updateInterval: 50, fit: true },
      minVelocity: 0.75
    } : false,
    interaction: {
      hover: true, tooltipDelay: 80, hideEdgesOnDrag: big, hideEdgesOnZoom: big,
      keyboard: false, multiselect: false, navigationButtons: false
    },
    nodes: {
      shape: "dot",
      font: { face: "DejaVu Sans, Arial, sans-serif", color: "#1b1b1b",
              strokeWidth: 4, strokeColor: "#ffffff" },
      scaling: { label: { enabled: false, drawThreshold: 8, maxVisible: 30 } }
    },
    edges: {
      smooth: data.physics ? { enabled: true, type: "continuous", roundness: 0.3 } : false,
      arrows: { to: { enabled: true, scaleFactor: 0.45 } },
      selectionWidth: 1.5, hoverWidth: 0.5
    }
  };

  var nodes = new vis.DataSet(nodeItems);
  var edges = new vis.DataSet(edgeItems);
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, options);
  state.timing.created = performance.now();

  network.once("afterDrawing", function () { state.timing.firstDraw = performance.now(); });
  function markReady() {
    if (state.ready) return;
    network.once("afterDrawing", function () {
      state.timing.drawn = performance.now();
      state.ready = true;
      document.documentElement.setAttribute("data-map-ready", "true");
    });
    network.redraw();
  }
  if (data.physics) {
    network.once("stabilizationIterationsDone", function () {
      // Stop simulating once the layout has settled: the map stays still and
      // cheap; nodes can still be dragged.
      network.setOptions({ physics: false });
      state.stabilised = true;
      state.timing.stabilised = performance.now();
      markReady();
    });
  } else {
    markReady();
  }

  /* -- tooltips and details ------------------------------------------------ */
  function nodeInfo(id) {
    var n = byId[id];
    return n ? infoElement(n.name, n.info) : null;
  }
  function edgeInfo(id) {
    var e = edgeById[id];
    return e ? infoElement(e.type, e.info) : null;
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
    detailBody.replaceChildren(el || text("p", "Click a node or a relationship, or find one by name.", "hint"));
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
      status.textContent = q.trim() ? "No node is called \u201c" + q.trim() + "\u201d." : "";
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
    network.fit({ animation: false });
  });

  window.htkgMap = {
    network: network, nodes: nodes, edges: edges, state: state,
    find: find, focusNode: focusNode, setKind: setKind,
    nodeInfo: nodeInfo, edgeInfo: edgeInfo,
    hiddenKinds: function () { return Object.keys(hiddenKinds); }
  };
})();
