"""Node positions computed in Python, so the browser never has to simulate physics.

The model is networkx's ``spring_layout`` (Fruchterman-Reingold: springs
along edges, repulsion between all nodes, a temperature that falls), seeded
so that a map is the same every time. networkx's own implementation is too
slow for a map made on the spot (0.12 s for one 150-node component, about
15 s for 2,000 nodes on this project's machines), so this module runs the
same model itself:

- each connected component is laid out on its own, then the components are
  packed in rows, largest first, and nodes without any relationship are set
  out in a grid grouped by kind (one FR run over everything would push lone
  nodes into a far ring and squash the rest into a ball);
- a component of up to :data:`DENSE_LIMIT` nodes uses exact pairwise
  forces (:func:`dense_spring`); a larger one splits repulsion into a near
  field, exact between nodes closer than a few ideal edge lengths (found
  with a k-d tree), and a far field from the centres of mass of a coarse
  grid (:func:`grid_spring`): 2,000 nodes take a fraction of a second;
- each component is scaled so that its median edge is :data:`SPACING`
  pixels long, and nodes whose discs would overlap are pushed apart
  (:func:`separate`).
"""
from __future__ import annotations

import math
from typing import Callable

import networkx as nx
import numpy as np

SPACING = 110.0          # pixels along a typical edge
DENSE_LIMIT = 200        # components up to this size use exact pairwise forces
MARGIN = 8.0             # pixels kept between node discs
NEAR = 1.5               # near-field radius of grid_spring, in ideal edge lengths
BRUTE_LIMIT = 400        # up to this many nodes, overlaps are found comparing every pair


def positions(g: nx.MultiDiGraph, seed: int = 7, radii: dict[str, float] | None = None,
              group: Callable[[str], str] | None = None) -> dict[str, tuple[float, float]]:
    """``{node: (x, y)}`` in pixels, centred on (0, 0).

    ``radii`` gives node sizes in pixels (so big nodes get room); ``group``
    orders the grid of lone nodes (by kind, say) so that alike sit together.
    """
    n = g.number_of_nodes()
    if n == 0:
        return {}
    radii = radii or {}
    simple = nx.Graph()
    simple.add_nodes_from(sorted(g.nodes))
    simple.add_edges_from((a, b) for a, b in g.edges() if a != b)
    components = sorted((sorted(c) for c in nx.connected_components(simple)),
                        key=lambda c: (-len(c), c[0]))
    blocks: list[tuple[list[str], np.ndarray]] = []
    lone: list[str] = []
    for i, comp in enumerate(components):
        if len(comp) == 1:
            lone.extend(comp)
            continue
        index = {v: j for j, v in enumerate(comp)}
        edges = np.array([(index[a], index[b]) for a, b in simple.subgraph(comp).edges()],
                         dtype=np.int64).reshape(-1, 2)
        if len(comp) <= DENSE_LIMIT:
            arr = dense_spring(len(comp), edges, seed=seed + i)
        else:
            arr = grid_spring(len(comp), edges, seed=seed + i)
        arr = _scaled(arr, edges)
        sizes = np.array([float(radii.get(v, 0.0)) for v in comp])
        if sizes.any():
            # A big component's dense core cannot be fully untangled cheaply:
            # a few rounds free most nodes; zooming in does the rest.
            arr = separate(arr, sizes, iterations=30 if len(comp) <= DENSE_LIMIT else 10)
        blocks.append((comp, arr))
    if lone:
        blocks.append(_grid(sorted(lone, key=lambda v: (group(v) if group else "", v)), radii))
    return _pack(blocks, gap=SPACING)


def _scaled(arr: np.ndarray, edges: np.ndarray) -> np.ndarray:
    """Centre a component and scale it so that its median edge is SPACING pixels."""
    arr = arr - arr.mean(axis=0)
    lengths = np.sqrt(((arr[edges[:, 0]] - arr[edges[:, 1]]) ** 2).sum(1)) if len(edges) else []
    lengths = [x for x in lengths if x > 1e-9]
    scale = SPACING / float(np.median(lengths)) if lengths else 1.0
    return arr * scale


def _grid(nodes: list[str], radii: dict[str, float]) -> tuple[list[str], np.ndarray]:
    """Nodes without relationships, in rows."""
    cell = 2 * max((radii.get(v, 0.0) for v in nodes), default=0.0) + SPACING * 0.55
    cols = max(1, math.ceil(math.sqrt(len(nodes) * 1.6)))
    arr = np.array([((i % cols) * cell, (i // cols) * cell) for i in range(len(nodes))], float)
    return nodes, arr


def _pack(blocks: list[tuple[list[str], np.ndarray]], gap: float
          ) -> dict[str, tuple[float, float]]:
    """Place blocks in rows (in the order given), then centre the whole on (0, 0)."""
    boxes = []
    for nodes, arr in blocks:
        lo, hi = arr.min(axis=0), arr.max(axis=0)
        boxes.append((lo, hi - lo))
    area = sum((w + gap) * (h + gap) for _, (w, h) in boxes)
    row_width = max(max(w for _, (w, _h) in boxes), math.sqrt(area) * 1.4)
    x = y = row_height = 0.0
    out: dict[str, tuple[float, float]] = {}
    placed = []
    for (nodes, arr), (lo, (w, h)) in zip(blocks, boxes):
        if x > 0 and x + w > row_width:
            x, y, row_height = 0.0, y + row_height + gap, 0.0
        placed.append((nodes, arr - lo + (x, y)))
        x += w + gap
        row_height = max(row_height, h)
    everything = np.vstack([arr for _, arr in placed])
    centre = (everything.min(axis=0) + everything.max(axis=0)) / 2
    for nodes, arr in placed:
        for v, (px, py) in zip(nodes, arr - centre):
            out[v] = (round(float(px), 1), round(float(py), 1))
    return out


def dense_spring(n: int, edges: np.ndarray, iterations: int = 60, seed: int = 7,
                 gravity: float = 0.5) -> np.ndarray:
    """Fruchterman-Reingold with exact pairwise forces (small components)."""
    rng = np.random.default_rng(seed)
    if n == 2:
        return np.array([[-0.5, 0.0], [0.5, 0.0]])
    pos = rng.random((n, 2)) - 0.5
    adjacency = np.zeros((n, n))
    if len(edges):
        adjacency[edges[:, 0], edges[:, 1]] = 1.0
        adjacency[edges[:, 1], edges[:, 0]] = 1.0
    k = 1.0 / math.sqrt(n)
    temperature = 0.1
    step = temperature / (iterations + 1)
    for _ in range(iterations):
        delta = pos[:, None, :] - pos[None, :, :]
        dist = np.sqrt((delta * delta).sum(-1))
        np.maximum(dist, 0.01, out=dist)
        force = k * k / (dist * dist) - adjacency * dist / k
        np.fill_diagonal(force, 0.0)
        disp = (delta * force[:, :, None]).sum(1) - gravity * k * pos
        length = np.sqrt((disp * disp).sum(1)) + 1e-9
        pos += disp * (np.minimum(length, temperature) / length)[:, None]
        temperature -= step
    return pos


def grid_spring(n: int, edges: np.ndarray, iterations: int = 50, seed: int = 7,
                gravity: float = 1.0, cells: int = 12) -> np.ndarray:
    """Fruchterman-Reingold positions (n x 2) with near/far-field repulsion.

    ``edges`` is an (m, 2) array of node indices. Forces are those of
    networkx's model: attraction d^2/k along edges, repulsion k^2/d between
    nodes, a pull towards the centre, and a temperature that falls linearly.
    """
    from scipy.spatial import cKDTree  # deferred: scipy is heavy

    rng = np.random.default_rng(seed)
    pos = rng.random((n, 2)) - 0.5
    k = 1.0 / math.sqrt(n)
    k2 = k * k
    near = NEAR * k
    temperature = 0.1
    step = temperature / (iterations + 1)
    src, dst = (edges[:, 0], edges[:, 1]) if len(edges) else (np.zeros(0, int), np.zeros(0, int))
    for _ in range(iterations):
        disp = np.zeros((n, 2))
        # Near field: exact repulsion between nodes closer than `near`.
        pairs = cKDTree(pos).query_pairs(near, output_type="ndarray")
        if len(pairs):
            i, j = pairs[:, 0], pairs[:, 1]
            d = pos[i] - pos[j]
            f = d * (k2 / ((d * d).sum(1) + 1e-9))[:, None]
            for c in (0, 1):
                disp[:, c] += np.bincount(i, f[:, c], n) - np.bincount(j, f[:, c], n)
        # Far field: repulsion from the centres of mass of a coarse grid's cells.
        lo = pos.min(0)
        span = float((pos.max(0) - lo).max()) + 1e-9
        cell = np.minimum(((pos - lo) / span * cells).astype(int), cells - 1)
        cid = cell[:, 0] * cells + cell[:, 1]
        count = np.bincount(cid, minlength=cells * cells)
        full = count > 0
        mass = count[full].astype(float)
        cx = np.bincount(cid, pos[:, 0], cells * cells)[full] / mass
        cy = np.bincount(cid, pos[:, 1], cells * cells)[full] / mass
        dx = pos[:, 0, None] - cx[None, :]
        dy = pos[:, 1, None] - cy[None, :]
        d2 = dx * dx + dy * dy
        w = (mass * k2)[None, :] / (d2 + 1e-9)
        w[d2 <= near * near] = 0.0
        rows = w.sum(1)
        disp[:, 0] += pos[:, 0] * rows - w @ cx
        disp[:, 1] += pos[:, 1] * rows - w @ cy
        # Attraction along edges.
        if len(src):
            delta = pos[src] - pos[dst]
            f = delta * (np.sqrt((delta * delta).sum(1)) / k)[:, None]
            for c in (0, 1):
                disp[:, c] -= np.bincount(src, f[:, c], n) - np.bincount(dst, f[:, c], n)
        disp -= gravity * k * pos
        length = np.sqrt((disp * disp).sum(1)) + 1e-9
        pos += disp * (np.minimum(length, temperature) / length)[:, None]
        temperature -= step
    return pos


def pairs_within(pos: np.ndarray, reach: float) -> np.ndarray:
    """Index pairs (i < j) of the points at most ``reach`` apart: every pair compared on a
    small map (no scipy to import: a second and more in a fresh process), a k-d tree on
    a large one.

    >>> pairs_within(np.array([[0.0, 0.0], [3.0, 4.0], [30.0, 0.0]]), 5.0).tolist()
    [[0, 1]]
    """
    n = len(pos)
    if n <= BRUTE_LIMIT:
        i, j = np.triu_indices(n, k=1)
        d = pos[i] - pos[j]
        close = (d * d).sum(1) <= reach * reach
        return np.stack([i[close], j[close]], axis=1)
    from scipy.spatial import cKDTree  # deferred: scipy is heavy
    return cKDTree(pos).query_pairs(reach, output_type="ndarray")


def separate(pos: np.ndarray, radii: np.ndarray, margin: float = MARGIN,
             iterations: int = 30) -> np.ndarray:
    """Push apart nodes whose discs (plus ``margin``) overlap; others stay put."""
    pos = pos.copy()
    n = len(pos)
    reach = 2 * float(radii.max(initial=0.0)) + margin
    for _ in range(iterations):
        pairs = pairs_within(pos, reach)
        if not len(pairs):
            break
        i, j = pairs[:, 0], pairs[:, 1]
        d = pos[i] - pos[j]
        dist = np.sqrt((d * d).sum(1))
        need = radii[i] + radii[j] + margin
        over = dist < need
        if not over.any():
            break
        i, j, d, dist, need = i[over], j[over], d[over], dist[over], need[over]
        # Nodes on the same spot: split them along a fixed direction.
        d[dist < 1e-6] = (1.0, 0.0)
        dist = np.maximum(dist, 1e-6)
        push = d * ((need - dist) / (2 * dist))[:, None] * 0.9
        for c in (0, 1):
            pos[:, c] += np.bincount(i, push[:, c], n) - np.bincount(j, push[:, c], n)
    return pos
