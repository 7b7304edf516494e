// The editor's preview: spreads of page images kept in step with the server's laid-out pages.
// A page's image is named by a token that changes only when the page may look different, so
// an update replaces just those images, in place, without reloading the page.
"use strict";

const $ = (id) => document.getElementById(id);
const shown = new Map(); // page number -> {token, figure, img}
const loads = {}; // page number -> {token, at}: when each page's current image appeared
window.__exporter = { version: 0, loads, lastSource: null };

function sideOf(number) {
  return number % 2 === 1 ? "right" : "left";
}

function regionsOf(page) {
  // Larger boxes first, so the smallest box under the pointer is the one on top.
  return [...page.regions].sort((a, b) => b.width * b.height - a.width * a.height);
}

function pageFigure(page) {
  const figure = document.createElement("figure");
  figure.className = `page ${sideOf(page.number)}`;
  figure.dataset.number = page.number;
  const img = document.createElement("img");
  img.alt = `Trang ${page.number}`;
  img.width = Math.round(page.width);
  img.height = Math.round(page.height);
  figure.append(img);
  figure.append(document.createElement("figcaption"));
  setCaption(figure, page);
  return { figure, img };
}

function setCaption(figure, page) {
  // The layout report's word on the page: how full it is, and what to look at.
  const caption = figure.querySelector("figcaption");
  const fill = Math.round(page.fill * 100);
  caption.textContent = `Trang ${page.number} · ${fill}%` + (page.notes.length ? ` · ${page.notes.join("; ")}` : "");
  figure.classList.toggle("noted", page.notes.length > 0);
}

function setRegions(figure, page) {
  figure.querySelectorAll(".region").forEach((r) => r.remove());
  for (const region of regionsOf(page)) {
    const div = document.createElement("div");
    div.className = "region";
    div.dataset.source = region.source;
    div.title = region.source;
    Object.assign(div.style, {
      left: `${region.x * 100}%`,
      top: `${region.y * 100}%`,
      width: `${region.width * 100}%`,
      height: `${region.height * 100}%`,
    });
    figure.append(div);
  }
}

function setImage(entry, page) {
  const { img } = entry;
  img.onload = () => {
    loads[page.number] = { token: page.token, at: Date.now() };
  };
  img.src = `/page/${page.token}.png`;
  entry.token = page.token;
}

function layOutSpreads(pages) {
  const spreads = $("spreads");
  spreads.replaceChildren();
  shown.clear();
  let spread = null;
  for (const page of pages) {
    if (page.number === 1 || page.number % 2 === 0 || spread === null) {
      spread = document.createElement("div");
      spread.className = "spread";
      spreads.append(spread);
    }
    const entry = pageFigure(page);
    spread.append(entry.figure);
    setRegions(entry.figure, page);
    setImage(entry, page);
    shown.set(page.number, entry);
  }
}

function update(pages) {
  const sameShape =
    pages.length === shown.size && pages.every((p) => shown.has(p.number));
  if (!sameShape) {
    layOutSpreads(pages);
    return;
  }
  for (const page of pages) {
    const entry = shown.get(page.number);
    setCaption(entry.figure, page);
    if (entry.token !== page.token) {
      setRegions(entry.figure, page);
      setImage(entry, page);
      entry.figure.classList.add("changed");
      setTimeout(() => entry.figure.classList.remove("changed"), 1500);
    }
  }
}

function showProblems(state) {
  const rows = $("problem-rows");
  rows.replaceChildren();
  for (const problem of state.problems) {
    const tr = document.createElement("tr");
    for (const [text, cls] of [
      [problem.level, `level-${problem.level}`],
      [problem.where, ""],
      [problem.message, ""],
    ]) {
      const td = document.createElement("td");
      td.textContent = text;
      if (cls) td.className = cls;
      tr.append(td);
    }
    rows.append(tr);
  }
  $("problem-count").textContent = state.problems.length;
  const error = $("error");
  error.hidden = !state.error;
  const list = $("error-list");
  list.replaceChildren();
  for (const problem of state.problems.filter((p) => p.level === "error")) {
    const li = document.createElement("li");
    li.textContent = problem.message;
    list.append(li);
  }
}

function showChapters(state) {
  const select = $("chapter");
  const current = select.value;
  select.replaceChildren();
  for (const chapter of state.chapters) {
    const option = document.createElement("option");
    option.value = chapter.href;
    option.textContent = chapter.title || chapter.href;
    select.append(option);
  }
  if (current && state.chapters.some((c) => c.href === current)) select.value = current;
  if (!$("ebook").hidden) loadChapter();
}

function loadChapter() {
  const href = $("chapter").value;
  if (href) $("reader").src = `/epub/${href}`;
}

async function refresh() {
  const response = await fetch("/api/state", { cache: "no-store" });
  const state = await response.json();
  document.title = `${state.publication} – xem trước`;
  $("publication").textContent = state.publication || "exporter";
  update(state.pages);
  showProblems(state);
  showChapters(state);
  $("status").textContent = state.error
    ? "Có lỗi – đang hiện bản đúng gần nhất"
    : `${state.pages.length} trang · dàn lại trong ${state.seconds.toFixed(2)} s`;
  window.__exporter.version = state.version;
  window.__exporter.state = state;
}

function selectTab(id) {
  for (const tab of document.querySelectorAll("[role=tab]")) {
    const selected = tab.id === id;
    tab.setAttribute("aria-selected", String(selected));
    $(tab.getAttribute("aria-controls")).hidden = !selected;
  }
  if (id === "tab-ebook") loadChapter();
}

async function copySource(source) {
  window.__exporter.lastSource = source;
  $("source-path").textContent = source;
  $("source").hidden = false;
  let copied = false;
  try {
    await navigator.clipboard.writeText(source);
    copied = true;
  } catch (_) {
    copied = false; // no clipboard permission: the path stays on screen to copy by hand
  }
  $("source-note").textContent = copied ? "đã chép" : "";
  clearTimeout(copySource.timer);
  copySource.timer = setTimeout(() => ($("source").hidden = true), 5000);
}

function start() {
  for (const tab of document.querySelectorAll("[role=tab]")) {
    tab.addEventListener("click", () => selectTab(tab.id));
  }
  $("chapter").addEventListener("change", loadChapter);
  $("spreads").addEventListener("click", (event) => {
    const region = event.target.closest(".region");
    if (region) copySource(region.dataset.source);
  });
  const events = new EventSource("/events");
  events.addEventListener("update", () => {
    refresh().catch((error) => console.warn("preview: state not read", error));
  });
}

document.addEventListener("DOMContentLoaded", start);
