// lagebild live dashboard: polls /api/state and redraws. No build step, no dependencies.
"use strict";

const REFRESH_MS = parseInt(document.body.dataset.refreshMs, 10) || 2000;
const COLORS = ["#2b6cb0", "#c05621", "#2f855a", "#b83280", "#6b46c1", "#c53030", "#2c7a7b",
                "#975a16", "#4a5568", "#d53f8c", "#3182ce", "#38a169", "#dd6b20", "#805ad5", "#e53e3e"];
const initial = new URLSearchParams(location.search);  // a filtered view is a link
const filter = { topic: initial.get("topic") || "", entity: initial.get("entity") || "" };
let topicsShown = false;

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (key === "class") node.className = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value);
  }
  for (const child of children) {
    if (child !== null && child !== undefined) {
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
  }
  return node;
}

function setFilter(topic, entity) {
  if (topic !== undefined) { filter.topic = topic; document.getElementById("f-topic").value = topic; }
  if (entity !== undefined) { filter.entity = entity; document.getElementById("f-entity").value = entity; }
  refresh();
}

function colorOf(topics, id) {
  const i = topics.findIndex((t) => t.id === id);
  return COLORS[(i < 0 ? 0 : i) % COLORS.length];
}

function drawTiles(state) {
  const totals = state.totals;
  document.getElementById("t-enriched").textContent = totals.enriched || 0;
  document.getElementById("t-duplicate").textContent = totals.duplicate || 0;
  document.getElementById("t-rejected").textContent = totals.rejected || 0;
  document.getElementById("t-throughput").textContent = state.throughput_per_min;
  document.getElementById("t-lag").textContent = state.lag_total;
  const detail = Object.entries(state.lag).filter(([, n]) => n > 0).map(([t, n]) => `${t} ${n}`);
  document.getElementById("t-lag-detail").textContent = detail.join(" · ") || "all caught up";
}

function drawTopicsSelect(state) {
  if (topicsShown) return;
  const select = document.getElementById("f-topic");
  for (const t of state.topics) select.append(el("option", { value: t.id }, `${t.label} (${t.id})`));
  select.value = filter.topic;
  document.getElementById("f-entity").value = filter.entity;
  topicsShown = true;
}

function drawChart(state) {
  const { starts, series, bucket_seconds: bucket } = state.chart;
  const box = document.getElementById("chart");
  const legend = document.getElementById("legend");
  box.replaceChildren();
  legend.replaceChildren();
  const ids = Object.keys(series).filter((id) => !filter.topic || id === filter.topic);
  if (!starts.length || !ids.length) { box.append(el("div", { class: "dim" }, "no items yet")); return; }
  const W = 640, H = 180, left = 28, bottom = 18;
  const totals = starts.map((_, i) => ids.reduce((sum, id) => sum + series[id][i], 0));
  const max = Math.max(1, ...totals);
  const slot = (W - left) / starts.length;
  const ns = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("viewBox", `0 0 ${W} ${H}`);
  svg.setAttribute("width", "100%");
  svg.setAttribute("id", "chart-svg");
  const add = (tag, attrs, text) => {
    const node = document.createElementNS(ns, tag);
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
    if (text !== undefined) node.textContent = text;
    svg.append(node);
    return node;
  };
  add("line", { x1: left, y1: H - bottom, x2: W, y2: H - bottom, stroke: "#ccc" });
  add("text", { x: 0, y: 12, "font-size": 10, fill: "#6b7385" }, String(max));
  add("text", { x: 0, y: H - bottom, "font-size": 10, fill: "#6b7385" }, "0");
  starts.forEach((start, i) => {
    let y = H - bottom;
    for (const id of ids) {
      const n = series[id][i];
      if (!n) continue;
      const h = (n / max) * (H - bottom - 8);
      y -= h;
      const rect = add("rect", { x: left + i * slot + 1, y, width: Math.max(slot - 2, 1), height: h,
                                 fill: colorOf(state.topics, id), class: "bar-rect" });
      const title = document.createElementNS(ns, "title");
      title.textContent = `${id}: ${n}`;
      rect.append(title);
    }
    if (i === 0 || i === starts.length - 1) {
      const label = new Date(start * 1000).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
      add("text", { x: left + i * slot, y: H - 4, "font-size": 10, fill: "#6b7385" }, label);
    }
  });
  box.append(svg);
  for (const id of ids) {
    const label = (state.topics.find((t) => t.id === id) || { label: id }).label;
    legend.append(el("span", {}, el("i", { style: `background:${colorOf(state.topics, id)}` }), label));
  }
  legend.append(el("span", { class: "dim" }, `${bucket}s per bar`));
}

function drawRejections(state) {
  const box = document.getElementById("rejections");
  box.replaceChildren();
  const entries = Object.entries(state.rejections);
  if (!entries.length) { box.append(el("div", { class: "dim" }, "none")); return; }
  const max = Math.max(...entries.map(([, n]) => n));
  for (const [reason, n] of entries) {
    box.append(el("div", { class: "bar" },
      el("span", { class: "fill", style: `width:${Math.max(4, (n / max) * 120)}px` }),
      el("span", {}, `${reason}`), el("span", { class: "dim" }, String(n))));
  }
}

function drawItems(state) {
  const list = document.getElementById("items");
  list.replaceChildren();
  if (!state.items.length) { list.append(el("li", { class: "dim" }, "nothing matches")); return; }
  for (const item of state.items) {
    const verdictClass = item.kind === "enriched" ? "unique" : item.kind;
    const li = el("li", { class: `item ${item.kind}`, "data-id": item.id },
      el("span", { class: "title" }, item.title || "(ohne Titel)"),
      item.publisher ? el("span", { class: "publisher" }, item.publisher) : null,
      el("span", { class: `verdict ${verdictClass}` },
         item.duplicates.length ? `${item.verdict} · ${item.duplicates.length} duplicate(s)` : item.verdict));
    const chips = el("div", {});
    for (const t of item.topics) {
      chips.append(el("span", { class: "chip topic", title: `score ${t.score}`,
                                onclick: () => setFilter(t.id, undefined) },
                      t.label, el("span", { class: "id" }, t.id)));
    }
    for (const e of item.entities) {
      chips.append(el("span", { class: "chip entity", title: e.type,
                                onclick: () => setFilter(undefined, e.id || e.name) },
                      e.name, e.id ? el("span", { class: "id" }, e.id) : null));
    }
    if (chips.childNodes.length) li.append(chips);
    if (item.duplicates.length) {
      const dups = el("ul", { class: "dups" });
      for (const d of item.duplicates) {
        dups.append(el("li", { class: "duplicate" },
          `≡ ${d.kind} duplicate (similarity ${d.similarity}): ${d.title || d.id}`,
          d.publisher ? el("span", { class: "publisher" }, d.publisher) : null));
      }
      li.append(dups);
    }
    list.append(li);
  }
}

async function refresh() {
  const params = new URLSearchParams();
  if (filter.topic) params.set("topic", filter.topic);
  if (filter.entity) params.set("entity", filter.entity);
  const status = document.getElementById("status");
  try {
    const response = await fetch(`/api/state?${params}`, { cache: "no-store" });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const state = await response.json();
    drawTopicsSelect(state);
    drawTiles(state);
    drawChart(state);
    drawRejections(state);
    drawItems(state);
    const shown = filter.topic || filter.entity ? ` · filtered: ${[filter.topic, filter.entity].filter(Boolean).join(", ")}` : "";
    status.textContent = `updated ${new Date().toLocaleTimeString()} · ${state.items.length} items shown${shown}`;
    document.body.dataset.loaded = "true";
  } catch (error) {
    status.textContent = `cannot reach the dashboard server (${error.message}); retrying`;
  }
}

document.getElementById("f-topic").addEventListener("change", (e) => setFilter(e.target.value, undefined));
document.getElementById("f-entity").addEventListener("input", (e) => setFilter(undefined, e.target.value.trim()));
document.getElementById("f-clear").addEventListener("click", () => setFilter("", ""));
refresh();
setInterval(refresh, REFRESH_MS);
