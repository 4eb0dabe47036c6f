// The vi2en post-editing workbench. Plain ES module, no framework, no build step.
// All text from the server goes into the page with textContent / value, never as HTML.

const token = document.querySelector('meta[name="vi2en-token"]').content;
const $ = (id) => document.getElementById(id);
const state = { project: null, doc: null, segments: [], rows: [], active: -1, timers: new Map(), pending: new Set() };

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function status(text, error = false) {
  $("status").textContent = text;
  $("status").classList.toggle("error", error);
}

async function api(method, path, body) {
  const init = { method, headers: { "X-Vi2en-Token": token }, keepalive: method === "PUT" };
  if (body instanceof FormData) init.body = body;
  else if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers["Content-Type"] = "application/json";
  }
  const reply = await fetch(path, init);
  const data = await reply.json().catch(() => ({ error: `HTTP ${reply.status}` }));
  if (!reply.ok) throw Object.assign(new Error(data.error || `HTTP ${reply.status}`), { status: reply.status, data });
  return data;
}

// --- projects and documents ---

async function loadProjects(select) {
  const { projects } = await api("GET", "/api/projects");
  const box = $("project");
  box.replaceChildren(...projects.map((p) => new Option(`${p.name} (${p.documents})`, p.id)));
  if (!projects.length) return;
  state.project = Number(select ?? (projects.some((p) => p.id === state.project) ? state.project : projects[0].id));
  box.value = String(state.project);
  await loadDocuments();
}

async function loadDocuments(select) {
  const { documents } = await api("GET", `/api/projects/${state.project}/documents`);
  const box = $("document");
  box.replaceChildren(...documents.map((d) => new Option(`${d.name} (${d.final ?? 0}/${d.segments} final)`, d.id)));
  const wanted = Number(select ?? new URLSearchParams(location.hash.slice(1)).get("doc"));
  const pick = documents.find((d) => d.id === wanted) ?? documents[documents.length - 1];
  if (pick) {
    box.value = String(pick.id);
    await openDocument(pick.id);
  }
}

async function newProject() {
  const name = prompt("Project name", "News");
  if (!name) return;
  const { id } = await api("POST", "/api/projects", { name });
  await loadProjects(id);
}

async function ensureProject() {
  if (state.project === null) {
    const { id } = await api("POST", "/api/projects", { name: "Default" });
    await loadProjects(id);
  }
}

async function addDocument(body) {
  await ensureProject().catch((err) => status(err.message, true));
  status("Translating… (the model is working through the document)");
  $("progress").textContent = "";
  try {
    const { id, segments } = await api("POST", `/api/projects/${state.project}/documents`, body);
    await loadProjects(state.project);
    await loadDocuments(id);
    status(`Translated ${segments} segments`);
  } catch (err) {
    status(`Could not add the document: ${err.message}`, true);
  }
}

// --- the grid ---

async function openDocument(id) {
  const doc = await api("GET", `/api/documents/${id}`);
  state.doc = id;
  state.segments = doc.segments;
  history.replaceState(null, "", `#doc=${id}`);
  seen.clear();
  $("export-effort").href = `/api/documents/${id}/effort`;
  $("export-tm").href = `/api/projects/${state.project}/tm`;
  for (const fmt of ["xliff", "xliff12", "tmx", "txt"]) $(`export-${fmt}`).href = `/api/documents/${id}/export?format=${fmt}`;
  $("exports").hidden = false;
  renderGrid();
  updateProgress();
  const first = state.segments.findIndex((s) => s.state !== "final");
  activate(first < 0 ? 0 : first);
}

const KEPT = { copy: "kept", template: "templated" };

function renderGrid() {
  const grid = $("grid");
  grid.replaceChildren(el("div", "head num", "#"), el("div", "head", "Source (Vietnamese)"),
    el("div", "head", "Target (English)"), el("div", "head state-head", "State · QA"));
  let paragraph = -1;
  state.rows = state.segments.map((seg, i) => {
    const row = el("div", "row");
    row.dataset.index = String(i);
    if (seg.paragraph !== paragraph) row.classList.add("para-start");
    paragraph = seg.paragraph;
    const src = el("div", "src");
    const badges = el("div", "badges");
    badges.append(el("span", "badge type", seg.type));
    if (KEPT[seg.method]) badges.append(el("span", `badge ${KEPT[seg.method]}`, KEPT[seg.method]));
    if (seg.match === "tm-100") badges.append(el("span", "badge tm", "TM 100%"));
    src.append(badges, document.createTextNode(seg.source));
    if (seg.terms.length) {
      const terms = el("div", "terms");
      for (const [term, required] of seg.terms) {
        const t = el("span", "term", term);
        t.title = `glossary: ${term} → ${required}`;
        terms.append(t, el("span", "required", `→ ${required}`));
      }
      src.append(terms);
    }
    if (seg.fuzzy) {
      badges.append(el("span", "badge fuzzy", `TM ${seg.fuzzy.score}%`));
      const box = el("div", "tm-fuzzy");
      box.append(el("span", "label", `TM ${seg.fuzzy.score}% (Alt+T inserts): `), ...diffWords(seg.fuzzy.source, seg.source),
        el("br"), el("span", "label", "→ "), el("span", "", seg.fuzzy.target));
      src.append(box);
    }
    const tgt = el("div", "tgt");
    const area = el("textarea");
    area.value = seg.target;
    area.rows = Math.max(2, Math.ceil(seg.target.length / 60));
    area.setAttribute("aria-label", `target of segment ${i + 1}`);
    area.addEventListener("focus", () => { activate(i, false); focused(i); });
    area.addEventListener("input", () => edited(i));
    area.addEventListener("keydown", (ev) => keys(ev, i));
    const note = el("div", "note");
    tgt.append(area, note);
    const st = el("div", "state");
    st.append(el("span", seg.state, seg.state), el("ul", "flags"));
    row.append(el("div", "num", String(i + 1)), src, tgt, st);
    grid.append(row);
    return row;
  });
  state.segments.forEach((seg, i) => showFlags(i, seg.flags));
}

// The TM source's words, those not in the new source marked (a word-level LCS).
function diffWords(old, now) {
  const a = old.split(/(\s+)/), b = new Set(), nowWords = now.split(/\s+/);
  const m = a.length, n = nowWords.length, L = Array.from({ length: m + 1 }, () => new Array(n + 1).fill(0));
  for (let i = m - 1; i >= 0; i--) for (let j = n - 1; j >= 0; j--)
    L[i][j] = a[i] === nowWords[j] ? L[i + 1][j + 1] + 1 : Math.max(L[i + 1][j], L[i][j + 1]);
  for (let i = 0, j = 0; i < m && j < n;) {
    if (a[i] === nowWords[j]) { b.add(i); i++; j++; } else if (L[i + 1][j] >= L[i][j + 1]) i++; else j++;
  }
  return a.map((word, i) => (/^\s+$/.test(word) || b.has(i) ? document.createTextNode(word) : el("mark", "", word)));
}

function parts(i) {
  const row = state.rows[i];
  return { row, area: row.querySelector("textarea"), note: row.querySelector(".note"),
           st: row.querySelector(".state > span"), flags: row.querySelector(".flags") };
}

function showFlags(i, flags) {
  const { flags: list } = parts(i);
  state.segments[i].flags = flags;
  list.replaceChildren(...flags.map((f) => { const li = el("li", "", f.code); li.title = f.message; return li; }));
}

function showState(i) {
  const { st } = parts(i);
  st.className = state.segments[i].state;
  st.textContent = state.segments[i].state;
}

function activate(i, focus = true) {
  if (i < 0 || i >= state.rows.length) return;
  if (state.active >= 0 && state.rows[state.active]) state.rows[state.active].classList.remove("active");
  state.active = i;
  const { row, area } = parts(i);
  row.classList.add("active");
  if (focus) { area.focus(); area.scrollIntoView({ block: "nearest" }); }
}

const seen = new Set();
function focused(i) {
  if (seen.has(i)) return;
  seen.add(i);
  api("POST", `/api/documents/${state.doc}/segments/${i}/focus`).catch(() => seen.delete(i));
}

async function showEffort() {
  const e = await api("GET", `/api/documents/${state.doc}/effort`);
  const rate = e.words_per_hour === null ? "–" : `${e.words_per_hour} words/hour`;
  $("effort").textContent = `Effort: HTER ${e.hter} · ${Math.round(100 * e.unchanged_share)}% of MT segments unchanged · ` +
    `${e.confirmed_words} words confirmed in ${e.seconds} s (${rate}) · most edited: ` +
    (e.most_edited.map((i) => `#${i + 1}`).join(", ") || "none");
}

function updateProgress() {
  const done = state.segments.filter((s) => s.state === "final").length;
  $("progress").textContent = `${done} of ${state.segments.length} confirmed`;
  const option = $("document").selectedOptions[0];
  if (option) option.textContent = option.textContent.replace(/\(\d+\/(\d+) final\)$/, `(${done}/$1 final)`);
}

// --- editing and saving ---

function later(key, ms, fn) {
  clearTimeout(state.timers.get(key));
  state.timers.set(key, setTimeout(fn, ms));
}

function edited(i) {
  state.pending.add(i);
  later(`qa${i}`, 250, () => recheck(i));
  later(`save${i}`, 700, () => save(i, "translated"));
}

async function recheck(i) {
  const seg = state.segments[i];
  if (seg.method !== "mt") return;
  try {
    const { flags } = await api("POST", "/api/qa", { source: seg.source, target: parts(i).area.value, project: state.project });
    showFlags(i, flags);
  } catch (err) { status(`QA: ${err.message}`, true); }
}

// One save of a segment at a time: a second waits for the first (it needs its new version).
const saving = new Map();
function save(i, wanted) {
  const run = (saving.get(i) ?? Promise.resolve()).then(() => saveNow(i, wanted));
  saving.set(i, run.catch(() => false));
  return run;
}

async function saveNow(i, wanted) {
  clearTimeout(state.timers.get(`save${i}`));
  state.pending.delete(i);
  const seg = state.segments[i];
  const { area, note, row } = parts(i);
  const target = area.value;
  if (target === seg.target && (wanted !== "final" || seg.state === "final")) return true;  // nothing new
  const next = wanted === "final" ? "final" : (target === seg.mt && seg.state === "initial" ? "initial" : "translated");
  try {
    const saved = await api("PUT", `/api/documents/${state.doc}/segments/${i}`, { target, state: next, version: seg.version });
    Object.assign(seg, saved);
    showState(i); showFlags(i, saved.flags); updateProgress();
    note.textContent = ""; row.classList.remove("conflict");
    status(`Saved segment ${i + 1}`);
    return true;
  } catch (err) {
    if (err.status === 409) conflict(i, err.data.current);
    else status(`Not saved: ${err.message}`, true);
    return false;
  }
}

function conflict(i, current) {
  const { note, row } = parts(i);
  row.classList.add("conflict");
  note.replaceChildren(el("span", "", "Saved in another tab meanwhile: "), el("q", "", current.target), document.createTextNode(" "));
  const take = el("button", "", "Use that version");
  take.type = "button";
  take.addEventListener("click", () => {
    Object.assign(state.segments[i], current);
    parts(i).area.value = current.target;
    note.textContent = ""; row.classList.remove("conflict"); showState(i);
  });
  const keep = el("button", "", "Keep mine");
  keep.type = "button";
  keep.addEventListener("click", async () => {
    state.segments[i].version = current.version;
    state.segments[i].target = current.target;
    state.segments[i].state = current.state;
    await save(i, "translated");
  });
  note.append(take, document.createTextNode(" "), keep);
  status(`Conflict on segment ${i + 1}: it was changed in another tab`, true);
}

async function keys(ev, i) {
  const { area } = parts(i);
  if (ev.ctrlKey && ev.key === "Enter") {
    ev.preventDefault();
    save(i, "final");  // in the background (a failure marks the row): the typist moves on at once
    activate(i + 1);
  } else if (ev.altKey && ev.key === "ArrowDown") {
    ev.preventDefault(); activate(i + 1);
  } else if (ev.altKey && ev.key === "ArrowUp") {
    ev.preventDefault(); activate(i - 1);
  } else if (ev.altKey && ev.code === "KeyM") {
    ev.preventDefault(); area.value = state.segments[i].mt; edited(i);
  } else if (ev.altKey && ev.code === "KeyT" && state.segments[i].fuzzy) {
    ev.preventDefault(); area.value = state.segments[i].fuzzy.target; edited(i);
  } else if (ev.altKey && ev.code === "KeyR") {
    ev.preventDefault(); area.value = state.segments[i].target; recheck(i);
    clearTimeout(state.timers.get(`save${i}`)); state.pending.delete(i);
  } else if (ev.altKey && ev.code === "KeyF") {
    ev.preventDefault();
    const n = state.segments.length;
    for (let step = 1; step <= n; step++) {
      const j = (i + step) % n;
      if (state.segments[j].flags.length) { activate(j); return; }
    }
    status("No segment has a QA flag");
  }
}

// --- wiring ---

$("show-effort").addEventListener("click", () => {
  $("effort").textContent = "Effort: measuring…";
  showEffort().catch((err) => { $("effort").textContent = `Effort: ${err.message}`; });
});
$("new-project").addEventListener("click", () => newProject().catch((e) => status(e.message, true)));
$("project").addEventListener("change", (ev) => { state.project = Number(ev.target.value); loadDocuments().catch((e) => status(e.message, true)); });
$("document").addEventListener("change", (ev) => openDocument(Number(ev.target.value)).catch((e) => status(e.message, true)));
$("paste-form").addEventListener("submit", (ev) => {
  ev.preventDefault();
  addDocument({ name: $("doc-name").value, text: $("paste").value });
});
$("glossary-upload").addEventListener("change", async (ev) => {
  const file = ev.target.files[0];
  if (!file) return;
  await ensureProject();
  try {
    const reply = await fetch(`/api/projects/${state.project}/glossary`, { method: "PUT", headers: { "X-Vi2en-Token": token }, body: await file.text() });
    const data = await reply.json();
    if (!reply.ok) throw new Error(data.error);
    status(`Glossary: ${data.terms} terms`);
    if (state.doc !== null) await openDocument(state.doc);
  } catch (err) { status(`Glossary import failed: ${err.message}`, true); }
});
$("tm-upload").addEventListener("change", async (ev) => {
  const file = ev.target.files[0];
  if (!file) return;
  await ensureProject();
  const form = new FormData();
  form.append("file", file);
  try {
    const { imported } = await api("POST", `/api/projects/${state.project}/tm`, form);
    status(`Imported ${imported} translation units into the project's memory`);
  } catch (err) { status(`TMX import failed: ${err.message}`, true); }
});
$("upload").addEventListener("change", (ev) => {
  const file = ev.target.files[0];
  if (!file) return;
  const form = new FormData();
  form.append("file", file);
  addDocument(form);
});
window.addEventListener("beforeunload", () => {
  for (const i of [...state.pending]) save(i, "translated");  // keepalive: it outlives the page
});
loadProjects().catch((err) => status(`Could not load projects: ${err.message}`, true));
