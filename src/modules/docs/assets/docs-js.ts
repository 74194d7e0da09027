/**
 * The script of /docs: served as /docs/assets/docs.js. Vanilla JS; it reads /openapi.json and
 * builds the page with DOM APIs only (API text goes in as text nodes, never as markup). The
 * bearer token lives in a variable of this closure, never in storage. No backticks or
 * dollar-brace in the source below: it is a String.raw template. Each operation shows its code
 * samples (x-codeSamples, from code-samples.ts) in a tabbed block with a Copy button.
 */
export const DOCS_JS = String.raw`(() => {
"use strict";
let spec = {};
const auth = { token: null, expiresAt: 0, scope: "" };
const METHODS = ["get", "post", "put", "patch", "delete"];
const SHOWN_HEADERS = /^(x-request-id|ratelimit(-[a-z]+)?|idempotent-replayed|retry-after|www-authenticate|allow)$/i;
let seq = 0;

function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else if (k === "class") el.className = v;
    else if (k === "value") el.value = v;
    else el.setAttribute(k, v === true ? "" : String(v));
  }
  add(el, children);
  return el;
}
function add(el, c) {
  if (c === null || c === undefined || c === false) return;
  if (Array.isArray(c)) c.forEach((x) => add(el, x));
  else el.appendChild(typeof c === "object" ? c : document.createTextNode(String(c)));
}
const clear = (el) => { while (el.firstChild) el.removeChild(el.firstChild); };
const byId = (id) => document.getElementById(id);
const uuid = () => crypto.randomUUID();
const uid = () => "f" + ++seq;
const json = (v) => JSON.stringify(v, null, 2);
const parse = (t) => { try { return JSON.parse(t); } catch { return undefined; } };
const code = (t) => h("code", null, t);
const table = (heads, rows) => h("table", null, h("thead", null, h("tr", null, heads.map((x) => h("th", null, x)))),
  h("tbody", null, rows));
const chip = (label, values) => h("span", { class: "chip" }, h("b", null, label), " ",
  [].concat(values).map((v, i) => [i ? " " : "", code(v)]));
const field = (label, input) => h("div", null, h("label", { for: input.id }, label), input);
/** Paragraphs and inline code spans (backticks) of a description, as DOM nodes. */
const rich = (text, tag) => text ? String(text).split(/\n{2,}/).map((para) =>
  h(tag || "p", null, para.split("\u0060").map((part, i) => (i % 2 ? code(part) : part)))) : null;

// ------------------------------------------------------------------------------- schemas
function lookup(ref) {
  const m = /^#\/components\/([^/]+)\/(.+)$/.exec(ref || "");
  const all = (m && spec.components && spec.components[m[1]]) || {};
  return m && Object.hasOwn(all, m[2]) ? all[m[2]] : undefined;
}
const refName = (s) => (s && s.$ref ? s.$ref.split("/").pop() : null);
function deref(s) {
  for (let n = 0; s && s.$ref && n < 20; n++) s = lookup(s.$ref);
  return s || {};
}
/** The schema with its $ref resolved and allOf merged into one object schema. */
function flat(raw) {
  const s = deref(raw);
  if (!Array.isArray(s.allOf)) return s;
  const out = { ...s, type: "object", properties: {}, required: [] };
  delete out.allOf;
  for (const part of s.allOf.concat([{ properties: s.properties, required: s.required }])) {
    const p = flat(part);
    Object.assign(out.properties, p.properties || {});
    out.required = out.required.concat(p.required || []);
    if (!out.description && p.description) out.description = p.description;
  }
  return out;
}
const types = (s) => (Array.isArray(s.type) ? s.type : s.type ? [s.type] : s.properties ? ["object"] : []);
const isObject = (s) => types(s).includes("object") && !!s.properties;
function typeLabel(raw) {
  const s = flat(raw), name = refName(raw);
  if (s.oneOf || s.anyOf) return "one of: " + (s.oneOf || s.anyOf).map(typeLabel).join(" | ");
  const label = types(s).map((t) => (t === "array" ? "array of " + typeLabel(s.items || {})
    : t === "object" && name ? name : t)).join(" | ");
  return label || name || "any";
}
function metaBits(s) {
  const bits = [];
  const values = s.enum || (s.const !== undefined ? [s.const] : null);
  if (values) bits.push(["one of ", values.map((v, i) => [i ? ", " : "", code(json(v))])]);
  if (s.format) bits.push(["format ", code(s.format)]);
  for (const [k, label] of [["minLength", "min length"], ["maxLength", "max length"], ["minimum", "min"],
    ["maximum", "max"], ["minItems", "min items"], ["maxItems", "max items"], ["pattern", "pattern"]]) {
    if (s[k] !== undefined) bits.push([label + " ", code(String(s[k]))]);
  }
  if (s.default !== undefined) bits.push(["default ", code(json(s.default))]);
  const ex = s.example !== undefined ? s.example : Array.isArray(s.examples) ? s.examples[0] : undefined;
  if (ex !== undefined) bits.push(["example ", code(json(ex))]);
  const items = s.items ? flat(s.items) : null;
  if (items && !isObject(items) && metaBits(items).length) bits.push(["items: ", metaBits(items)]);
  return bits.map((b, i) => [i ? " · " : "", b]);
}
function metaOf(s) {
  const bits = metaBits(s);
  return bits.length ? h("span", { class: "meta" }, bits) : null;
}
function fieldRows(raw, depth, rows, seen) {
  const s = flat(raw), required = s.required || [];
  for (const [name, prop] of Object.entries(s.properties || {})) {
    const p = flat(prop);
    const items = types(p).includes("array") && isObject(flat(p.items || {})) ? p.items : null;
    const nested = isObject(p) ? prop : items;
    rows.push(h("tr", { class: "d" + Math.min(depth, 6) + (depth ? " nested" : "") },
      h("td", { class: "name" }, name, items ? "[]" : "", required.includes(name)
        ? h("span", { class: "req" }, "required") : h("span", { class: "opt" }, "optional")),
      h("td", { class: "type" }, typeLabel(prop)),
      h("td", null, rich(p.description || deref(prop).description, "span"), metaOf(p))));
    const key = refName(nested);
    if (nested && depth < 6 && !seen.includes(key)) fieldRows(nested, depth + 1, rows, key ? [...seen, key] : seen);
  }
  return rows;
}
function schemaView(raw) {
  if (!flat(raw).properties) return h("p", { class: "hint" }, "Type ", code(typeLabel(raw)), metaOf(flat(raw)));
  return table(["Field", "Type", "Description"], fieldRows(raw, 0, [], refName(raw) ? [refName(raw)] : []));
}
function sample(raw, depth) {
  const s = flat(raw);
  if (depth > 6) return null;
  for (const v of [s.example, (s.examples || [])[0], s.default, s.const, (s.enum || [])[0]]) if (v !== undefined) return v;
  if (s.oneOf || s.anyOf) return sample((s.oneOf || s.anyOf)[0], depth + 1);
  const t = types(s).filter((x) => x !== "null")[0];
  if (t === "object") {
    // The required properties, and the optional ones that carry an example or a default (as the code samples).
    const req = s.required || [];
    const shown = ([k, v]) => req.includes(k) || [flat(v).example, flat(v).default].some((x) => x !== undefined);
    const props = Object.entries(s.properties || {}).filter(shown);
    return Object.fromEntries(props.map(([k, v]) => [k, sample(v, depth + 1)]));
  }
  if (t === "array") return s.items ? [sample(s.items, depth + 1)] : [];
  if (t === "integer" || t === "number") return s.minimum !== undefined ? s.minimum : 0;
  if (t === "boolean") return false;
  if (t !== "string") return null;
  if (s.format === "uuid") return uuid();
  if (s.format === "date-time") return new Date().toISOString();
  if (s.format === "date") return new Date().toISOString().slice(0, 10);
  if (s.format === "email") return "dev@partner.example";
  if (s.format === "uri" || s.format === "url") return location.origin + "/callback";
  return "string";
}
/** A request body for the try-it form: the envelope with a fresh id, params from the schema. */
function sampleBody(raw) {
  const s = flat(raw);
  return s.properties && s.properties.params ? { id: uuid(), params: sample(s.properties.params, 1) } : sample(raw, 0);
}

// -------------------------------------------------------------------------------- calls
const canonical = (k) => k.split("-").map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join("-")
  .replace(/^Ratelimit/, "RateLimit").replace(/^Www/, "WWW");
function renderResult(out, res, text, ms) {
  clear(out);
  const data = parse(text);
  const shown = [];
  res.headers.forEach((v, k) => { if (SHOWN_HEADERS.test(k)) shown.push([canonical(k), v]); });
  shown.sort((a, b) => a[0].localeCompare(b[0]));
  add(out, h("div", { class: "result-head" }, h("span", { class: "status s" + String(res.status).charAt(0) },
    res.status + " " + res.statusText), h("span", { class: "hint" }, ms + " ms")));
  if (shown.length) add(out, h("table", null, h("tbody", null, shown.map(([k, v]) =>
    h("tr", null, h("td", { class: "name" }, k), h("td", { class: "mono" }, v))))));
  const err = data && data.error && typeof data.error === "object" ? data.error : null;
  if (err && Number.isInteger(err.code)) {
    add(out, h("p", { class: "hint" }, "Error ", h("a", { href: "#error-" + err.code }, err.code + " " +
      (err.reason || "")), " in the error catalogue."));
  }
  add(out, h("pre", null, data !== undefined ? json(data) : text || "(empty body)"));
  return data;
}
async function call(button, out, url, init) {
  button.disabled = true;
  clear(out);
  add(out, h("p", { class: "hint" }, "Sending…"));
  const started = performance.now();
  try {
    const res = await fetch(url, { ...init, credentials: "omit", cache: "no-store", redirect: "error" });
    const text = await res.text();
    return { res, data: renderResult(out, res, text, Math.round(performance.now() - started)) };
  } catch (e) {
    clear(out);
    add(out, h("p", { class: "warning" }, "The request failed: " + (e && e.message ? e.message : e)));
    return null;
  } finally {
    button.disabled = false;
  }
}
const scheme = (name) => ((spec.components || {}).securitySchemes || {})[name] || {};
const needsBearer = (op) => (op.security || spec.security || []).some((req) => Object.keys(req).some((n) =>
  scheme(n).type === "oauth2" || (scheme(n).type === "http" && scheme(n).scheme === "bearer")));

function tryPanel(o) {
  const { op, path } = o, method = o.method.toUpperCase();
  const form = h("form", { novalidate: true });
  const panel = h("details", { class: "try" }, h("summary", null, "Try it"), form);
  if (path === "/oauth2/token") {
    add(form, h("p", { class: "hint" }, "Use the ", h("a", { href: "#try-token" }, "Get a token"),
      " panel at the top: it sends this request with your consumer key and secret."));
    return panel;
  }
  // Idempotency-Key has its own field below, pre-filled with a fresh key.
  const params = o.params.map(deref).filter((p) => ["path", "query", "header"].includes(p.in) &&
    !(p.in === "header" && p.name === "Idempotency-Key"));
  const inputs = params.map((p) => ({ p, input: h("input", { id: uid(), spellcheck: "false", autocomplete: "off",
    value: p.example !== undefined ? String(p.example) : "", placeholder: flat(p.schema || {}).format || "" }) }));
  if (inputs.length) {
    add(form, h("div", { class: "grid" }, inputs.map(({ p, input }) =>
      field(p.name + " (" + p.in + (p.required ? ", required" : "") + ")", input))));
  }
  const b = op.requestBody ? bodyContent(op.requestBody) : null;
  const body = b ? h("textarea", { id: uid(), spellcheck: "false", value: json(sampleBody(b.schema)) }) : null;
  if (body) body.rows = Math.min(24, body.value.split("\n").length + 1);
  if (body) add(form, field("Body (" + b.type + ")", body));
  const idem = method === "POST" || method === "PATCH" ? h("input", { id: uid(), value: uuid(), spellcheck: "false" }) : null;
  if (idem) {
    add(form, h("div", { class: "grid" }, h("div", null, h("label", { for: idem.id }, "Idempotency-Key"),
      h("div", { class: "inline" }, idem, h("button", { type: "button", class: "secondary",
        onclick: () => { idem.value = uuid(); } }, "New key")),
      h("p", { class: "hint" }, "Send twice with the same key: the second answer replays the first (Idempotent-Replayed: true)."))));
  }
  const send = h("button", { type: "submit" }, "Send");
  const note = h("span", { class: "hint" });
  const out = h("div", { class: "result" });
  add(form, [h("div", { class: "row" }, send, body ? h("button", { type: "button", class: "secondary",
    onclick: () => { body.value = json(sampleBody(b.schema)); } }, "New sample body") : null, note), out]);
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    let url = path;
    const missing = [], qs = new URLSearchParams(), headers = { Accept: "application/json" };
    for (const { p, input } of inputs) {
      const v = input.value.trim();
      if (!v) { if (p.required) missing.push(p.name); continue; }
      if (p.in === "path") url = url.split("{" + p.name + "}").join(encodeURIComponent(v));
      else if (p.in === "query") qs.append(p.name, v);
      else headers[p.name] = v;
    }
    if (missing.length) { note.textContent = "Fill in: " + missing.join(", "); return; }
    if (qs.toString()) url += "?" + qs.toString();
    note.textContent = needsBearer(op) && !auth.token ? "No token yet: get one at the top (sent without one)." : "";
    if (needsBearer(op) && auth.token) headers.Authorization = "Bearer " + auth.token;
    if (body) headers["Content-Type"] = b.type;
    if (idem && idem.value.trim()) headers["Idempotency-Key"] = idem.value.trim();
    call(send, out, url, { method, headers, body: body ? body.value : undefined });
  });
  return panel;
}

function tokenPanel() {
  const input = (attrs) => h("input", { id: uid(), autocomplete: "off", spellcheck: "false", ...attrs });
  const key = input({ placeholder: "ck_test_…" }), secret = input({ type: "password" });
  const user = input({}), pass = input({ type: "password" });
  const scope = input({ placeholder: "default: every scope your contract grants" });
  const grant = h("select", { id: uid() }, ["client_credentials", "password"].map((g) => h("option", { value: g }, g)));
  const userBox = h("div", { class: "grid hidden" }, field("Username", user), field("Password", pass));
  grant.addEventListener("change", () => userBox.classList.toggle("hidden", grant.value !== "password"));
  const out = h("div", { class: "result" });
  const get = h("button", { type: "submit" }, "Get token");
  const forget = h("button", { type: "button", class: "secondary", onclick: () => {
    auth.token = null;
    clear(out);
    updateStatus();
  } }, "Forget token");
  const form = h("form", { novalidate: true }, h("div", { class: "grid" }, field("Consumer key", key),
    field("Consumer secret", secret), field("Grant type", grant), field("Scope (optional)", scope)), userBox,
    h("div", { class: "row" }, get, forget, h("span", { id: "token-status", class: "token-status off" })), out);
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    let basic;
    try { basic = btoa(key.value.trim() + ":" + secret.value); } catch {
      clear(out);
      add(out, h("p", { class: "warning" }, "The consumer key and secret must be Latin-1 text."));
      return;
    }
    const params = new URLSearchParams({ grant_type: grant.value });
    if (grant.value === "password") { params.set("username", user.value); params.set("password", pass.value); }
    if (scope.value.trim()) params.set("scope", scope.value.trim());
    const r = await call(get, out, "/oauth2/token", { method: "POST", body: params.toString(), headers: {
      Authorization: "Basic " + basic, "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json" } });
    if (r && r.res.ok && r.data && typeof r.data.access_token === "string") {
      auth.token = r.data.access_token;
      auth.expiresAt = Date.now() + (Number(r.data.expires_in) || 0) * 1000;
      auth.scope = typeof r.data.scope === "string" ? r.data.scope : "";
    }
    updateStatus();
  });
  return h("section", { class: "card", id: "try-token" }, h("h2", null, "Try it: get a token"),
    h("p", null, "Get a bearer token here, then use ", h("b", null, "Try it"), " on any operation below. ",
      "The token stays in this tab's memory only: reloading the page forgets it."),
    environment() === "production" ? h("p", { class: "warning" },
      "This is production: requests you send from this page act on live data.") : null, form);
}
function updateStatus() {
  const el = byId("token-status");
  if (!el) return;
  const left = Math.round((auth.expiresAt - Date.now()) / 1000);
  const [cls, text] = !auth.token ? ["off", "No token yet."] : left <= 0 ? ["bad", "The token expired: get a new one."]
    : ["on", "Token active, " + (left >= 120 ? Math.floor(left / 60) + " min" : left + " s") + " left" +
      (auth.scope ? " · scopes: " + auth.scope.split(" ").length : "")];
  el.className = "token-status " + cls;
  el.textContent = text;
  el.title = auth.token ? auth.scope : "";
}

// ------------------------------------------------------------------------ code samples
// The samples come with the document (x-codeSamples on each operation). The language last chosen
// is shown in every block; each block is a tab list: arrow keys, Home and End move between tabs.
let sampleLang = "";
const sampleBlocks = [];
async function copyText(text, pre) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // No Clipboard API here (a plain-http origin): select the code and ask for a copy.
    const range = document.createRange(), selection = getSelection();
    range.selectNodeContents(pre);
    selection.removeAllRanges();
    selection.addRange(range);
    try { return document.execCommand("copy"); } catch { return false; }
  }
}
function codeSamplesView(op) {
  const samples = (op["x-codeSamples"] || []).filter((s) => s && typeof s.source === "string");
  if (!samples.length) return null;
  const id = uid(), title = h("h4", { id: id + "-title" }, "Code samples");
  const label = (s) => s.label || s.lang;
  const status = h("span", { class: "copy-status", role: "status" });
  let current = 0;
  const tabs = samples.map((s, i) => h("button", { type: "button", role: "tab", id: id + "-tab" + i,
    "aria-controls": id + "-panel" + i, onclick: () => choose(i, false) }, label(s)));
  // The code scrolls: its pre is the panel's one stop for the keyboard.
  const panels = samples.map((s, i) => h("div", { role: "tabpanel", id: id + "-panel" + i,
    "aria-labelledby": id + "-tab" + i }, h("pre", { tabindex: "0" }, h("code", null, s.source))));
  function show(i, focus) {
    current = i;
    tabs.forEach((t, j) => { t.setAttribute("aria-selected", String(i === j)); t.tabIndex = i === j ? 0 : -1; });
    panels.forEach((p, j) => { p.hidden = i !== j; });
    status.textContent = "";
    if (focus) tabs[i].focus();
  }
  function choose(i, focus) {
    show(i, focus);
    sampleLang = samples[i].lang;
    for (const block of sampleBlocks) if (block.show !== show) block.prefer(sampleLang);
  }
  const keys = { ArrowRight: 1, ArrowLeft: -1, Home: "first", End: "last" };
  const tablist = h("div", { role: "tablist", "aria-labelledby": title.id, onkeydown: (e) => {
    const move = Object.hasOwn(keys, e.key) ? keys[e.key] : null;
    if (move === null) return;
    e.preventDefault();
    const n = tabs.length;
    choose(move === "first" ? 0 : move === "last" ? n - 1 : (current + move + n) % n, true);
  } }, tabs);
  const copy = h("button", { type: "button", class: "secondary copy", onclick: async () => {
    const ok = await copyText(samples[current].source, panels[current].querySelector("pre"));
    status.textContent = ok ? "Copied" : "Copy failed: select the code and copy it";
  } }, "Copy");
  const prefer = (lang) => { const i = samples.findIndex((s) => s.lang === lang); if (i >= 0) show(i, false); };
  sampleBlocks.push({ show, prefer });
  show(Math.max(0, samples.findIndex((s) => s.lang === sampleLang)), false);
  return h("section", { class: "samples", "aria-labelledby": title.id },
    h("div", { class: "samples-head" }, title, tablist, copy, status), panels);
}

// ---------------------------------------------------------------------------- the page
const environment = () => document.documentElement.getAttribute("data-environment") ||
  ((spec.servers || [])[0] || {}).description || "unknown";
const baseUrl = () => ((spec.servers || [])[0] || {}).url || location.origin;
const opId = (o) => "op-" + (o.op.operationId || o.method + o.path).replace(/[^A-Za-z0-9_]+/g, "-").replace(/-$/, "");
function bodyContent(raw) {
  const content = deref(raw).content || {}, types = Object.keys(content);
  const type = content["application/json"] ? "application/json" : types[0];
  return type ? { type, types, schema: content[type].schema || {} } : null;
}
function operations() {
  const list = [];
  for (const [path, item] of Object.entries(spec.paths || {})) {
    for (const method of METHODS) {
      if (item[method]) list.push({ method, path, op: item[method], params: (item.parameters || []).concat(item[method].parameters || []) });
    }
  }
  return list;
}
function groups(ops) {
  const order = (spec.tags || []).map((t) => ({ name: t.name, description: t.description, ops: [] }));
  for (const o of ops) {
    const name = (o.op.tags || [])[0] || "Other";
    let g = order.find((x) => x.name === name);
    if (!g) order.push((g = { name, ops: [] }));
    g.ops.push(o);
  }
  return order.filter((g) => g.ops.length);
}
function securityChips(op) {
  const reqs = op.security || spec.security || [];
  if (!reqs.length) return chip("Auth", "none");
  return reqs.map((req) => Object.entries(req).map(([name, scopes]) => {
    const s = scheme(name);
    if (s.type === "oauth2") return chip(scopes.length > 1 ? "Scopes" : "Scope", scopes.length ? scopes : "bearer token");
    if (s.type === "http" && s.scheme === "basic") return chip("Auth", "Basic consumer_key:consumer_secret");
    return chip("Auth", name);
  }));
}
function paramsTable(params) {
  return table(["Name", "In", "Type", "Description"], params.map(deref).map((p) => h("tr", null,
    h("td", { class: "name" }, p.name, h("span", { class: p.required ? "req" : "opt" }, p.required ? "required" : "optional")),
    h("td", null, p.in), h("td", { class: "type" }, typeLabel(p.schema || {})),
    h("td", null, rich(p.description || flat(p.schema || {}).description, "span"),
      metaOf({ ...flat(p.schema || {}), ...(p.example !== undefined ? { example: p.example } : {}) })))));
}
function responsesView(responses) {
  return Object.entries(responses).map(([status, raw]) => {
    const r = deref(raw), b = bodyContent(r);
    const head = [h("span", { class: "status s" + status.charAt(0) }, status), h("span", null, rich(r.description, "span"))];
    if (!b) return h("div", { class: "resp-plain" }, head);
    return h("details", { class: "resp", open: status.charAt(0) === "2" }, h("summary", null, head),
      h("div", null, schemaView(b.schema)));
  });
}
function renderOp(o) {
  const { op } = o, b = op.requestBody ? bodyContent(op.requestBody) : null;
  return h("article", { class: "op", id: opId(o) },
    h("div", { class: "op-head" }, h("span", { class: "m m-" + o.method }, o.method), h("span", { class: "op-path" }, o.path)),
    h("h3", null, op.summary || o.method.toUpperCase() + " " + o.path), rich(op.description),
    h("div", { class: "chips" }, securityChips(op), op["x-portico-product"] ? chip("Product", op["x-portico-product"]) : null,
      op.deprecated ? chip("Status", "deprecated") : null),
    o.params.length ? [h("h4", null, "Parameters"), paramsTable(o.params)] : null,
    b ? [h("h4", null, "Request body"), h("div", { class: "chips" }, chip("Content-Type", b.types)),
      rich(deref(op.requestBody).description), schemaView(b.schema)] : null,
    h("h4", null, "Responses"), responsesView(op.responses || {}), codeSamplesView(op), tryPanel(o));
}
function intro() {
  const info = spec.info || {};
  const fact = (label, value) => h("div", { class: "fact" }, h("b", null, label), value);
  return h("section", { class: "card", id: "intro" }, h("h2", null, info.title || "API reference"),
    h("div", { class: "lead" }, rich(info.description)), h("div", { class: "facts" }, fact("Base URL", code(baseUrl())),
      fact("Environment", environment()), fact("Version", info.version || "–"),
      fact("Machine-readable", h("a", { href: "/openapi.json" }, "openapi.json (OpenAPI " + (spec.openapi || "3") + ")"))));
}
function authSection() {
  const curl = ["curl -s -X POST " + baseUrl() + "/oauth2/token", "-u \"$CONSUMER_KEY:$CONSUMER_SECRET\"",
    "-d grant_type=client_credentials"].join(" \\\n  ");
  const call = ["curl -s " + baseUrl() + "/v1/partner", "-H \"Authorization: Bearer $TOKEN\""].join(" \\\n  ");
  const header = (name, text) => h("tr", null, h("td", { class: "name" }, name), h("td", null, text));
  return h("section", { class: "card", id: "authentication" }, h("h2", null, "Authentication"),
    h("p", null, "Every ", code("/v1"), " call carries a bearer token: ", code("Authorization: Bearer <access_token>"),
      ". Get one from ", code("POST /oauth2/token"), ", authenticating your application with HTTP Basic: ",
      code("Authorization: Basic base64(consumer_key:consumer_secret)"), ". Send the parameters form-encoded (",
      code("application/x-www-form-urlencoded"), "); a JSON body is accepted too."),
    h("ul", null, h("li", null, h("b", null, "client_credentials"), ": your application acting for itself: ",
      code("grant_type=client_credentials"), "."),
    h("li", null, h("b", null, "password"), ": on behalf of one of your users, with their login: ",
      code("grant_type=password&username=…&password=…"), "."),
    h("li", null, code("scope"), " (optional): space-separated; by default the token carries every scope your contract ",
      "grants. Each operation below names the scope it needs.")),
    h("pre", null, curl), h("p", null, "The answer is ", code("{ access_token, token_type: \"Bearer\", expires_in, scope }"),
      ". When the token expires, calls answer 401 with ", h("a", { href: "#error-12" }, "code 12"), ": get a new one."),
    h("pre", null, call), h("h3", null, "The envelope"),
    h("p", null, "Request bodies wrap their parameters as ", code("{ id, params }"), "; ", code("id"),
      " is your UUID for the request, echoed back. Every /v1 answer is ", code("{ id, result, error }"),
      ": exactly one of ", code("result"), " and ", code("error"), " is null."),
    h("pre", null, json({ id: "0b6f6b8e-3f5e-4f0a-9d3a-6f1c2b7e9a10", params: { description: "billing server" } })),
    h("pre", null, json({ id: "0b6f6b8e-3f5e-4f0a-9d3a-6f1c2b7e9a10", result: null, error: { code: 20,
      message: "The token lacks the required scope: partner:write", reason: "insufficient_scope", docs: "/docs#error-20" } })),
    h("h3", null, "Headers"), table(["Header", "Meaning"], [
      header("X-Request-Id", "On every answer; send your own (a UUID) to correlate logs. Quote it when you contact support."),
      header("Idempotency-Key", "Required on every POST: 1–255 printable characters, one per operation. A retry with " +
        "the same key answers as the first call did, marked Idempotent-Replayed: true; a different request under the key is 422, " +
        "one still running is 409 with Retry-After. Keys are kept 48 h."),
      header("Portico-Version", "The API version (a date) to speak for this call, overriding your account's pin; every /v1 " +
        "answer carries the version it speaks. An unknown version is 400, code 80. Versions and changes: /changelog."),
      header("Deprecation / Sunset / Link", "On answers at a deprecated version or from a deprecated operation: since when, " +
        "until when, and the changelog entry (RFC 9745, RFC 8594)."),
      header("RateLimit-Limit / -Remaining / -Reset", "Your per-second budget, on every authenticated answer."),
      header("Retry-After", "On 429 and 503: seconds to wait before retrying.")]));
}
function errorsSection() {
  const message = (m) => String(m).split(/(\{\w+\})/).map((part, i) => (i % 2 ? code(part) : part));
  return h("section", { class: "card", id: "errors" }, h("h2", null, "Errors"),
    h("p", null, "An error answers with the envelope's ", code("error"), ": ", code("{ code, message, reason, field?, retryable?, docs }"),
      ". ", code("docs"), " links to the code's row here. Codes 1–999 are system errors, 1000 and up business errors; ",
      "a published code never changes meaning."),
    table(["Code", "HTTP", "Reason", "Message"], (spec["x-error-catalogue"] || []).map((e) =>
      h("tr", { id: "error-" + e.code }, h("td", { class: "name" }, h("a", { href: "#error-" + e.code }, String(e.code))),
        h("td", null, h("span", { class: "status s" + String(e.status).charAt(0) }, String(e.status))),
        h("td", { class: "name" }, e.reason), h("td", null, message(e.message))))));
}
function sandboxSection() {
  return h("section", { class: "card", id: "sandbox-values" }, h("h2", null, "Sandbox values"),
    h("p", null, "In the sandbox these values give documented outcomes, so you can exercise every path of your integration."),
    table(["Area", "Value", "Outcome"], (spec["x-sandbox-values"] || []).map((v) =>
      h("tr", null, h("td", null, v.area), h("td", { class: "name" }, v.value), h("td", null, v.outcome)))));
}
function renderNav(groups) {
  const nav = byId("nav"), links = [];
  const link = (href, label, method, title) => {
    const a = h("a", { href, title }, method ? h("span", { class: "m m-" + method }, method) : null, h("span", { class: "label" }, label));
    links.push(a);
    return a;
  };
  const filter = h("input", { type: "search", placeholder: "Filter operations…", "aria-label": "Filter operations" });
  clear(nav);
  add(nav, [filter, h("div", { class: "group" }, "Guide"), link("#intro", "Introduction"),
    link("#try-token", "Get a token"), link("#authentication", "Authentication"),
    groups.map((g) => [h("div", { class: "group" }, g.name),
      g.ops.map((o) => link("#" + opId(o), o.op.summary || o.path, o.method, o.method.toUpperCase() + " " + o.path))]),
    h("div", { class: "group" }, "Reference"), link("#errors", "Errors"), link("#sandbox-values", "Sandbox values")]);
  filter.addEventListener("input", () => {
    const q = filter.value.trim().toLowerCase();
    for (const a of links) a.classList.toggle("hidden", !!q && !(a.textContent + " " + (a.title || "")).toLowerCase().includes(q));
  });
  nav.addEventListener("click", (e) => {
    if (e.target instanceof Element && e.target.closest("a")) nav.classList.remove("open");
  });
  const spy = new IntersectionObserver((entries) => {
    for (const e of entries) {
      if (e.isIntersecting) for (const a of links) a.classList.toggle("active", a.getAttribute("href") === "#" + e.target.id);
    }
  }, { rootMargin: "-70px 0px -75% 0px" });
  document.querySelectorAll("main section[id], main article[id]").forEach((el) => spy.observe(el));
}
function focusHash() {
  document.querySelectorAll(".is-target").forEach((el) => el.classList.remove("is-target"));
  let id = "";
  try { id = decodeURIComponent(location.hash.slice(1)); } catch { return; }
  const el = id && byId(id);
  if (!el) return;
  el.classList.add("is-target");
  el.scrollIntoView();
}
function render() {
  const info = spec.info || {}, env = environment(), tagged = groups(operations());
  document.title = (info.title || "API") + " reference";
  byId("api-title").textContent = info.title || "API reference";
  byId("api-version").textContent = info.version ? "v" + info.version : "";
  byId("api-env").textContent = env;
  byId("api-env").className = "env env-" + (env === "production" ? "production" : "sandbox");
  byId("api-server").textContent = baseUrl();
  const main = byId("main");
  clear(main);
  add(main, [intro(), tokenPanel(), authSection(), tagged.map((g) => [h("div", { class: "tag-title",
    id: "tag-" + g.name.replace(/[^A-Za-z0-9_]+/g, "-") }, h("h2", null, g.name), rich(g.description)), g.ops.map(renderOp)]),
    errorsSection(), sandboxSection()]);
  renderNav(tagged);
  updateStatus();
  focusHash();
}
async function boot() {
  byId("nav-toggle").addEventListener("click", () => byId("nav").classList.toggle("open"));
  window.addEventListener("hashchange", focusHash);
  setInterval(updateStatus, 15000);
  try {
    const res = await fetch("/openapi.json", { headers: { Accept: "application/json" }, credentials: "omit" });
    if (!res.ok) throw new Error("HTTP " + res.status);
    spec = await res.json();
    render();
  } catch (e) {
    const main = byId("main");
    clear(main);
    add(main, h("p", { class: "fatal" }, "Could not load /openapi.json: " + (e && e.message ? e.message : e)));
  }
}
boot();
})();
`;
