/** The stylesheet of /docs: served as /docs/assets/docs.css. System fonts only, nothing off-origin. */
export const DOCS_CSS = String.raw`
:root {
  --bg: #f7f8fa; --panel: #fff; --text: #1d2330; --muted: #5b6475; --line: #e3e6ec; --soft: #eef1f6;
  --accent: #2754c5; --accent-soft: #e8eefc; --ok: #137a3f; --warn: #9a5b00; --bad: #b4262a;
  --get: #1f6feb; --post: #137a3f; --put: #9a5b00; --patch: #7a4fc4; --delete: #b4262a;
  --sans: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  --mono: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace;
  --radius: 8px; --top: 56px;
}
* { box-sizing: border-box; }
html { scroll-padding-top: calc(var(--top) + 16px); }
body { margin: 0; background: var(--bg); color: var(--text); font: 15px/1.55 var(--sans); }
a { color: var(--accent); text-decoration: none; }
a:hover { text-decoration: underline; }
code, pre, .mono { font-family: var(--mono); font-size: 0.88em; }
p code, td code, li code, .chip code {
  background: var(--soft); padding: 1px 5px; border-radius: 4px; -webkit-box-decoration-break: clone; box-decoration-break: clone;
}
h1, h2, h3, h4 { line-height: 1.25; margin: 0 0 0.5em; }
h2 { font-size: 1.45rem; }
h3 { font-size: 1.1rem; }
h4 { font-size: 0.8rem; text-transform: uppercase; letter-spacing: 0.06em; color: var(--muted); margin-top: 1.4em; }

/* Top bar */
.topbar {
  position: sticky; top: 0; z-index: 10; height: var(--top); display: flex; align-items: center; gap: 12px;
  padding: 0 20px; background: #141b2d; color: #e9edf5; box-shadow: 0 1px 0 rgba(0, 0, 0, 0.2);
}
.brand { display: flex; align-items: center; gap: 10px; color: #fff; font-weight: 650; font-size: 1.05rem; }
.brand:hover { text-decoration: none; }
.logo {
  display: inline-grid; place-items: center; width: 28px; height: 28px; border-radius: 7px;
  background: linear-gradient(135deg, #4d7cff, #2ec4a0); color: #fff; font-weight: 800;
}
.pill { font: 12px var(--mono); padding: 2px 8px; border-radius: 999px; background: rgba(255, 255, 255, 0.12); }
.env { font-size: 12px; font-weight: 700; text-transform: uppercase; letter-spacing: 0.05em; padding: 3px 9px; border-radius: 999px; }
.env-sandbox { background: #ffd66b; color: #3b2c00; }
.env-production { background: #ff6b6b; color: #fff; }
.topbar .server { color: #aab4c8; font-size: 13px; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.topbar .spacer { flex: 1; }
.topbar a.raw { color: #cfd8ea; font-size: 13px; }
#nav-toggle { display: none; }

/* Layout */
.layout { display: grid; grid-template-columns: 270px minmax(0, 1fr); }
.sidebar {
  position: sticky; top: var(--top); height: calc(100vh - var(--top)); overflow-y: auto; padding: 16px 12px 40px;
  border-right: 1px solid var(--line); background: var(--panel); font-size: 14px;
}
.sidebar input { width: 100%; margin-bottom: 12px; }
.sidebar .group { margin: 14px 8px 4px; font-size: 12px; font-weight: 700; color: var(--muted); text-transform: uppercase; letter-spacing: 0.06em; }
.sidebar a { display: flex; align-items: center; gap: 8px; padding: 5px 8px; border-radius: 6px; color: var(--text); }
.sidebar a:hover { background: var(--soft); text-decoration: none; }
.sidebar a.active { background: var(--accent-soft); color: var(--accent); }
.sidebar a .m { flex: 0 0 46px; font-size: 10px; text-align: center; padding: 1px 0; }
.sidebar a .label { overflow-wrap: anywhere; }
main { padding: 28px 40px 80px; max-width: 1120px; }
.loading, .fatal { color: var(--muted); padding: 40px 0; }
.fatal { color: var(--bad); }

/* Cards and sections */
section.card, article.op {
  background: var(--panel); border: 1px solid var(--line); border-radius: var(--radius); padding: 22px 26px; margin-bottom: 22px;
}
.tag-title { margin: 36px 0 14px; padding-bottom: 6px; border-bottom: 2px solid var(--line); }
.tag-title p { color: var(--muted); margin: 4px 0 0; font-size: 14px; }
.lead { font-size: 1.05rem; color: var(--muted); max-width: 760px; }
.facts { display: grid; grid-template-columns: repeat(auto-fit, minmax(220px, 1fr)); gap: 12px; margin-top: 14px; }
.fact { background: var(--soft); border-radius: var(--radius); padding: 10px 14px; font-size: 14px; }
.fact b { display: block; font-size: 12px; color: var(--muted); text-transform: uppercase; letter-spacing: 0.05em; }

/* Operations */
.op-head { display: flex; align-items: center; gap: 12px; flex-wrap: wrap; }
.op-path { font: 600 1rem var(--mono); word-break: break-all; }
.op h3 { margin-top: 10px; }
.m { display: inline-block; min-width: 58px; text-align: center; font: 700 12px var(--mono); color: #fff; padding: 3px 8px; border-radius: 5px; text-transform: uppercase; }
.m-get { background: var(--get); } .m-post { background: var(--post); } .m-put { background: var(--put); }
.m-patch { background: var(--patch); } .m-delete { background: var(--delete); }
.chips { display: flex; flex-wrap: wrap; gap: 8px; margin: 8px 0; }
.chip { font-size: 12.5px; padding: 2px 9px; border-radius: 999px; background: var(--soft); color: var(--muted); }
.chip b { color: var(--text); font-weight: 600; }
.chip code { background: none; padding: 0; }

/* Tables */
table { width: 100%; border-collapse: collapse; font-size: 14px; margin: 6px 0 10px; }
th, td { text-align: left; vertical-align: top; padding: 7px 10px; border-bottom: 1px solid var(--line); }
th { font-size: 12px; color: var(--muted); font-weight: 600; text-transform: uppercase; letter-spacing: 0.04em; background: var(--soft); }
td.name { font-family: var(--mono); font-size: 13px; white-space: nowrap; }
td.type { font-family: var(--mono); font-size: 12.5px; color: #6b3fa0; }
td .req { color: var(--bad); font: 600 11px var(--sans); margin-left: 6px; }
td .opt { color: var(--muted); font: 11px var(--sans); margin-left: 6px; }
td .meta { display: block; color: var(--muted); font-size: 12.5px; margin-top: 2px; }
td .meta code { font-size: 12px; }
.d1 td.name { padding-left: 30px; } .d2 td.name { padding-left: 50px; } .d3 td.name { padding-left: 70px; }
.d4 td.name, .d5 td.name, .d6 td.name { padding-left: 90px; }
tr.nested td.name::before { content: "\2514\00a0"; color: #b6bdca; }
.status { font: 700 12.5px var(--mono); padding: 2px 7px; border-radius: 5px; }
.s2 { background: #e3f4ea; color: var(--ok); } .s3 { background: var(--soft); color: var(--muted); }
.s4 { background: #fdf0e0; color: var(--warn); } .s5 { background: #fce7e7; color: var(--bad); }
tr:target td, tr.is-target td { background: #fff6cc; }

/* Responses */
details.resp { border: 1px solid var(--line); border-radius: 6px; margin: 6px 0; }
details.resp > summary { cursor: pointer; padding: 8px 12px; display: flex; gap: 10px; align-items: center; list-style: none; }
details.resp > summary::before { content: "\25B8"; color: var(--muted); font-size: 12px; }
details.resp[open] > summary::before { content: "\25BE"; }
details.resp > summary::-webkit-details-marker { display: none; }
details.resp > div { padding: 0 12px 8px; }
.resp-plain { padding: 8px 12px 8px 32px; display: flex; gap: 10px; align-items: center; }

/* Code blocks */
pre {
  background: #0f1524; color: #dfe6f3; padding: 14px 16px; border-radius: var(--radius); overflow: auto;
  line-height: 1.5; margin: 8px 0; max-height: 520px;
}

/* Code samples: one tab list per operation */
.samples { margin-top: 18px; border: 1px solid #263149; border-radius: var(--radius); background: #0f1524; }
.samples-head { display: flex; align-items: center; flex-wrap: wrap; gap: 6px 10px; padding: 8px 10px; border-bottom: 1px solid #263149; }
.samples-head h4 { margin: 0 4px 0 2px; color: #aab4c8; }
.samples [role="tablist"] { display: flex; flex-wrap: wrap; gap: 4px; }
.samples [role="tab"] { background: transparent; border-color: transparent; color: #cfd8ea; padding: 4px 10px; font-size: 13px; }
.samples [role="tab"][aria-selected="true"] { background: #2a3a63; border-color: #5b7ccc; color: #fff; }
.samples button.copy { margin-left: auto; padding: 4px 12px; font-size: 13px; }
.samples .copy-status { color: #9fe0b8; font-size: 13px; }
.samples .copy-status:empty { display: none; }
.samples button:focus-visible, .samples pre:focus-visible { outline: 2px solid #8fb0ff; outline-offset: 2px; }
.samples pre { margin: 0; border-radius: 0 0 var(--radius) var(--radius); max-height: 420px; }

/* Forms and the try-it panels */
label { display: block; font-size: 13px; font-weight: 600; color: var(--muted); margin-bottom: 4px; }
input, select, textarea {
  width: 100%; font: 14px var(--sans); padding: 8px 10px; border: 1px solid #cdd3de; border-radius: 6px;
  background: #fff; color: var(--text);
}
textarea { font-family: var(--mono); font-size: 13px; min-height: 80px; resize: vertical; }
input:focus, select:focus, textarea:focus { outline: 2px solid var(--accent-soft); border-color: var(--accent); }
.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(200px, 1fr)); gap: 12px; margin: 10px 0; }
.row { display: flex; gap: 8px; align-items: center; flex-wrap: wrap; margin-top: 10px; }
.inline { display: flex; gap: 6px; }
.inline input { flex: 1; font-family: var(--mono); font-size: 13px; }
button {
  font: 600 14px var(--sans); padding: 8px 16px; border-radius: 6px; border: 1px solid var(--accent);
  background: var(--accent); color: #fff; cursor: pointer;
}
button:hover { filter: brightness(1.08); }
button.secondary { background: #fff; color: var(--accent); }
button:disabled { opacity: 0.6; cursor: progress; }
details.try { margin-top: 18px; border: 1px solid #cfdaf6; border-radius: var(--radius); background: #f7f9ff; }
details.try > summary { cursor: pointer; padding: 10px 14px; font-weight: 650; color: var(--accent); }
details.try > form { padding: 0 14px 14px; }
#try-token { border-color: #cfdaf6; background: linear-gradient(180deg, #f4f7ff, #fff); }
.token-status { font-size: 14px; }
.token-status.on { color: var(--ok); } .token-status.off { color: var(--muted); } .token-status.bad { color: var(--bad); }
.hint { color: var(--muted); font-size: 13px; margin: 6px 0; }
.warning { background: #fff1f0; border: 1px solid #f5c2c0; color: #8a1c1f; padding: 8px 12px; border-radius: 6px; font-size: 14px; }
.result { margin-top: 12px; }
.result-head { display: flex; gap: 10px; align-items: center; font-size: 14px; }
.result table { font-size: 13px; }
.result pre { white-space: pre-wrap; overflow-wrap: anywhere; }
.hidden { display: none !important; }

@media (max-width: 900px) {
  .layout { grid-template-columns: minmax(0, 1fr); }
  .topbar { gap: 8px; padding: 0 12px; }
  .brand { white-space: nowrap; }
  .topbar .pill, .topbar a.raw { display: none; }
  td { overflow-wrap: anywhere; }
  td.type, p code, .meta code { word-break: break-all; }
  td .req, td .opt { display: block; margin-left: 0; }
  .d1 td.name { padding-left: 18px; } .d2 td.name { padding-left: 26px; } .d3 td.name { padding-left: 34px; }
  .d4 td.name, .d5 td.name, .d6 td.name { padding-left: 42px; }
  .sidebar { display: none; position: fixed; left: 0; right: 0; z-index: 9; height: calc(100vh - var(--top)); }
  .sidebar.open { display: block; }
  #nav-toggle { display: inline-block; padding: 5px 10px; font-size: 13px; }
  .topbar .server { display: none; }
  main { padding: 18px 14px 60px; }
  section.card, article.op { padding: 16px; }
  td.name { white-space: normal; }
}
`;
