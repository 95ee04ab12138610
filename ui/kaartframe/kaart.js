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

async function loadFont(url) {
  if (!url) return;
  try {
    const face = new FontFace("Source Sans", "url(" + url + ")");
    document.fonts.add(await face.load());
  } catch (error) {
    console.warn("Ketenkaart: lettertype niet geladen", error);
  }
}

async function draw(args) {
  if (args.figure === drawn) return;
  const figure = JSON.parse(args.figure);
  figure.layout.clickmode = "event"; // a click selects nothing in plotly: the panel shows it
  const config = Object.assign({ responsive: true }, args.config || {});
  if (drawn === null) {
    await loadFont(args.font);
    await Plotly.newPlot(plot, figure.data, figure.layout, config);
    plot.on("plotly_click", clicked);
  } else {
    await Plotly.react(plot, figure.data, figure.layout, config);
  }
  drawn = args.figure;
  send("streamlit:setFrameHeight", { height: plot.offsetHeight });
}

window.addEventListener("message", (event) => {
  const data = event.data;
  if (event.source !== window.parent || !data || data.type !== "streamlit:render") return;
  queue = queue.then(() => draw(data.args)).catch((error) => console.error(error));
});
send("streamlit:componentReady", { apiVersion: 1 });
