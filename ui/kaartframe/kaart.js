// The Ketenkaart's map in a frame of its own (ui/map_chart.py).
//
// Streamlit's own plotly chart draws a new figure from scratch twice per click on a busy page;
// here a click sends only the organisation clicked, and the figure that comes back is redrawn
// once, by Plotly.react, in a small document. A click on a line or on empty space sends
// nothing: the map stays as it was.
"use strict";

const plot = document.getElementById("kaart");
let drawn = null; // the figure (JSON text) on screen
let queue = Promise.resolve();

function send(type, data) {
  window.parent.postMessage(Object.assign({ isStreamlitMessage: true, type: type }, data), "*");
}

// An organisation's name (a string) or a cluster ([count, partner type]); else null.
function target(point) {
  const value = point.customdata;
  if (typeof value === "string") return value;
  if (Array.isArray(value) && value.length === 2 && typeof value[0] === "number") return value;
  return null;
}

function clicked(event) {
  const hit = (event.points || []).map(target).find((value) => value !== null);
  if (hit === undefined) return;
  // the moment makes every click a change, also a second click on the same organisation
  send("streamlit:setComponentValue", {
    value: { selection: { points: [{ customdata: hit }] }, klik: Date.now() },
    dataType: "json",
  });
}

// plotly.js from the address the server gives (ui/map_chart.py: its version is in it).
function loadPlotly(url) {
  if (typeof Plotly !== "undefined") return Promise.resolve();
  return new Promise((resolve, reject) => {
    const script = document.createElement("script");
    script.src = url;
    script.onload = () => resolve();
    script.onerror = () => reject(new Error("plotly.js niet geladen: " + url));
    document.head.appendChild(script);
  });
}

async function loadFont(url) {
  if (!url) return;
  try {
    const face = new FontFace("Source Sans", "url(" + url + ")");
    document.fonts.add(await face.load());
  } catch (error) {
    console.warn("Ketenkaart: lettertype niet geladen", error);
  }
}

// --- Names when zoomed in ---------------------------------------------------------------
// The server names what matters (shelters, sectors, placeholders, the selection and as many of
// its partners as fit); zoomed in, there is room for more: every organisation in view gets its
// name where it fits, without covering another name or organisation. Back at the whole map
// (or zoomed out again) those extra names go.
const ZOOMED = "ketenkaart-zoom"; // the name of the annotations added here
const MAX_ZOOM_LABELS = 80;
let labelStyle = null; // size, colour, ground and the selection ring's trace (ui/map_chart.py)
let wholeX = null; // the x and y ranges of the whole map, as the server drew it
let wholeY = null;
const measure = document.createElement("canvas").getContext("2d");

function escapeText(text) {
  return String(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

// A long name over two lines, split where the lines are most even (as ui/kaart.py does).
function wrapName(name) {
  const words = String(name).split(/\s+/);
  if (String(name).length <= 18 || words.length < 2) return [String(name)];
  let best = 1;
  let bestWidth = Infinity;
  for (let i = 1; i < words.length; i++) {
    const width = Math.max(words.slice(0, i).join(" ").length, words.slice(i).join(" ").length);
    if (width < bestWidth) {
      best = i;
      bestWidth = width;
    }
  }
  return [words.slice(0, best).join(" "), words.slice(best).join(" ")];
}

function textBox(lines) {
  measure.font = labelStyle.size + 'px "Source Sans", sans-serif';
  const width = Math.max(...lines.map((line) => measure.measureText(line).width)) + 6;
  return { w: width, h: lines.length * labelStyle.size * 1.45 + 6 };
}

function overlaps(a, b) {
  return a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
}

function plainLines(text) {
  return noteKey({ text: text }).split("<br>").map((line) =>
    line.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&"));
}

// The server's names (sectors, placeholders, organisations) as it placed them for the whole map.
let serverNotes = [];
let relabelled = false; // whether the names on screen are the frame's, not the server's

function nodeKey(name) {
  return wrapName(name).map(escapeText).join("<br>");
}

function noteKey(note) {
  return String(note.text).replace(/<\/?b>/g, "");
}

// Zoomed in, every organisation's name is placed anew next to its organisation at the current
// scale (a name placed for the whole map drifts away from its mark when zoomed): first the
// names the server chose, in its order of importance, then the others in view, larger marks
// first. The names of sectors and placeholders stay where the server put them.
function zoomLabels() {
  const full = plot._fullLayout;
  if (!full || !full.xaxis || wholeX === null) return;
  const xa = full.xaxis;
  const ya = full.yaxis;
  const span = (range) => Math.abs(range[1] - range[0]);
  // how much larger than on the whole map (the figure's ranges fitted into the drawing)
  const whole = Math.min(xa._length / span(wholeX), ya._length / span(wholeY));
  const zoom = xa._length / span(xa.range) / whole;
  if (zoom < 1.4) {
    if (relabelled) {
      relabelled = false;
      Plotly.relayout(plot, { annotations: serverNotes });
    }
    return;
  }
  const px = (x) => xa.l2p(x);
  const py = (y) => ya.l2p(y);
  const inside = (box) => box.x0 >= 0 && box.y0 >= 0 && box.x1 <= xa._length && box.y1 <= ya._length;
  const boxAt = (cx, cy, size) => ({
    x0: cx - size.w / 2, x1: cx + size.w / 2, y0: cy - size.h / 2, y1: cy + size.h / 2,
  });
  const mark = (cx, cy, r) => ({ r: r, cx: cx, cy: cy, box: boxAt(cx, cy, { w: 2 * r, h: 2 * r }) });
  const nodes = new Map();
  plot.data.forEach((trace) => {
    (trace.customdata || []).forEach((value, i) => {
      const key = typeof value === "string" ? nodeKey(value) : null;
      if (key === null || nodes.has(key)) return;
      const size = Array.isArray(trace.marker.size) ? trace.marker.size[i] : trace.marker.size || 12;
      nodes.set(key, mark(px(trace.x[i]), py(trace.y[i]), size / 2));
    });
  });
  // the ring around the selected organisation is part of its mark
  plot.data.filter((trace) => trace.name === labelStyle.ring).forEach((ring) => {
    const cx = px(ring.x[0]);
    const cy = py(ring.y[0]);
    nodes.forEach((node, key) => {
      if (Math.hypot(node.cx - cx, node.cy - cy) < 1) {
        nodes.set(key, mark(cx, cy, Math.max(node.r, ring.marker.size / 2 + 2)));
      }
    });
  });
  // sectors and placeholders where the server put them, if the whole name is in view
  const fixed = [];
  const taken = [];
  serverNotes.filter((note) => !nodes.has(noteKey(note))).forEach((note) => {
    const box = boxAt(px(note.x), py(note.y), textBox(plainLines(note.text)));
    if (!inside(box)) return;
    fixed.push(note);
    taken.push(box);
  });
  const wanted = serverNotes.filter((note) => nodes.has(noteKey(note)));
  const chosen = new Set(wanted.map(noteKey));
  const others = [...nodes.entries()]
    .filter(([key, node]) => !chosen.has(key) && inside(node.box))
    .sort((a, b) => b[1].r - a[1].r || (a[0] < b[0] ? -1 : 1))
    .slice(0, MAX_ZOOM_LABELS)
    .map(([key]) => ({ text: key }));
  const placed = [];
  for (const note of wanted.concat(others)) {
    const node = nodes.get(noteKey(note));
    if (!inside(node.box)) continue;
    const size = textBox(plainLines(note.text));
    const gap = node.r + 3;
    const spots = [
      [node.cx + gap + size.w / 2, node.cy], [node.cx - gap - size.w / 2, node.cy],
      [node.cx, node.cy - gap - size.h / 2], [node.cx, node.cy + gap + size.h / 2],
    ];
    for (const [x, y] of spots) {
      const box = boxAt(x, y, size);
      const free = inside(box) && !taken.some((other) => overlaps(box, other)) &&
        ![...nodes.values()].some((other) => other !== node && overlaps(box, other.box));
      if (!free) continue;
      taken.push(box);
      placed.push({
        name: ZOOMED, x: xa.p2l(x), y: ya.p2l(y), text: note.text,
        showarrow: false, xanchor: "center", yanchor: "middle", captureevents: false,
        font: { size: labelStyle.size, color: (note.font && note.font.color) || labelStyle.colour },
        bgcolor: labelStyle.ground, borderpad: 1,
      });
      break;
    }
  }
  relabelled = true;
  Plotly.relayout(plot, { annotations: fixed.concat(placed) });
}

// After a zoom or a pan (not after the names' own update), once the wheel has stopped.
let relabel = null;
let userView = null; // the ranges the user zoomed or panned to; null: the whole map
let shownView = null; // what the map shows (the region): a zoom belongs to it
function zoomed(event) {
  const keys = Object.keys(event || {});
  if (!keys.some((key) => key.startsWith("xaxis") || key.startsWith("yaxis"))) return;
  const full = plot._fullLayout;
  const whole = wholeX !== null && full.xaxis.range.every((v, i) => Math.abs(v - wholeX[i]) < 1e-6);
  userView = whole ? null : { x: full.xaxis.range.slice(), y: full.yaxis.range.slice() };
  clearTimeout(relabel);
  relabel = setTimeout(zoomLabels, 150);
}

async function draw(args) {
  if (args.figure === drawn) return;
  const figure = JSON.parse(args.figure);
  labelStyle = args.labels;
  serverNotes = figure.layout.annotations || [];
  relabelled = false;
  const range = figure.layout.xaxis && figure.layout.xaxis.range;
  const yRange = figure.layout.yaxis && figure.layout.yaxis.range;
  wholeX = range ? range.slice() : null;
  wholeY = yRange ? yRange.slice() : wholeX;
  // another region (or another kind of map) starts from the whole map again
  if (args.view !== shownView) userView = null;
  shownView = args.view;
  figure.layout.uirevision = args.view;
  // A new figure keeps the user's zoom (plotly's uirevision alone loses it: the y range it
  // remembers is the one widened to keep the aspect, not the figure's). The "Reset axes"
  // button still goes back to the whole map, the range of the first drawing.
  if (userView !== null && drawn !== null && range) {
    figure.layout.xaxis.range = userView.x;
    figure.layout.yaxis.range = userView.y;
  }
  figure.layout.clickmode = "event"; // a click selects nothing in plotly: the panel shows it
  const config = Object.assign({ responsive: true }, args.config || {});
  if (drawn === null) {
    await Promise.all([loadPlotly(args.plotly), loadFont(args.font)]);
    await Plotly.newPlot(plot, figure.data, figure.layout, config);
    plot.on("plotly_click", clicked);
    plot.on("plotly_relayout", zoomed);
  } else {
    await Plotly.react(plot, figure.data, figure.layout, config);
  }
  zoomLabels(); // a new figure keeps the zoom (uirevision): name what is in view again
  drawn = args.figure;
  send("streamlit:setFrameHeight", { height: plot.offsetHeight });
}

// Never an empty white box: say in Dutch what happened and what to do.
function failed() {
  plot.textContent = "De kaart kon niet worden getekend. Laad de pagina opnieuw; de organisaties " +
    "en hun afspraken staan ook in het zijpaneel en op de pagina Gegevens.";
  plot.style.font = '16px "Source Sans", sans-serif';
  plot.style.padding = "1rem";
  send("streamlit:setFrameHeight", { height: plot.offsetHeight + 32 });
}

window.addEventListener("message", (event) => {
  const data = event.data;
  if (event.source !== window.parent || !data || data.type !== "streamlit:render") return;
  queue = queue.then(() => draw(data.args)).catch((error) => {
    console.error(error);
    if (drawn === null) failed();
  });
});
send("streamlit:componentReady", { apiVersion: 1 });
