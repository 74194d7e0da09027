/** The stylesheet of /status: served as /status/assets/status.css. System fonts only, nothing off-origin. */
export const STATUS_CSS = `
:root {
  color-scheme: light dark;
  --bg: #f7f8fa; --panel: #fff; --text: #1d2330; --muted: #5b6475; --line: #e3e6ec;
  --ok: #137a3f; --ok-soft: #e3f4ea; --warn: #9a5b00; --warn-soft: #fdf1dc; --bad: #b4262a; --bad-soft: #fbe4e4;
  --sans: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  --mono: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace;
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--text); font: 15px/1.5 var(--sans); }
main { max-width: 60rem; margin: 0 auto; padding: 1.5rem 1rem 3rem; }
a { color: inherit; }
code { font-family: var(--mono); font-size: 0.88em; }
.summary { padding: 1.25rem 1.5rem; border-radius: 10px; border: 1px solid var(--line); background: var(--panel); }
.summary h1 { margin: 0 0 0.25rem; font-size: 1.5rem; }
.summary p { margin: 0; color: var(--muted); }
.summary.operational { border-left: 6px solid var(--ok); }
.summary.degraded { border-left: 6px solid var(--warn); }
.summary.down { border-left: 6px solid var(--bad); }
.env { font-weight: 600; text-transform: uppercase; letter-spacing: 0.05em; font-size: 0.8em; }
section { margin-top: 1.5rem; }
h2 { font-size: 1rem; margin: 0 0 0.5rem; }
table { width: 100%; border-collapse: collapse; background: var(--panel); border: 1px solid var(--line); border-radius: 8px; overflow: hidden; }
th, td { text-align: left; padding: 0.5rem 0.75rem; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-size: 0.75rem; text-transform: uppercase; letter-spacing: 0.06em; color: var(--muted); font-weight: 600; }
tr:last-child td { border-bottom: 0; }
td.latency { white-space: nowrap; font-variant-numeric: tabular-nums; color: var(--muted); }
td.detail, .breaker { color: var(--muted); }
.breaker { font-size: 0.8rem; white-space: nowrap; }
.badge { display: inline-block; padding: 0.05rem 0.55rem; border-radius: 999px; font-size: 0.8rem; font-weight: 600; white-space: nowrap; }
.badge.ok { background: var(--ok-soft); color: var(--ok); }
.badge.degraded { background: var(--warn-soft); color: var(--warn); }
.badge.down { background: var(--bad-soft); color: var(--bad); }
footer { margin-top: 2rem; color: var(--muted); font-size: 0.85rem; }
@media (prefers-color-scheme: dark) {
  :root { --bg: #0d1117; --panel: #161b22; --text: #e6edf3; --muted: #9da7b3; --line: #30363d;
    --ok: #56d364; --ok-soft: #12261a; --warn: #e3b341; --warn-soft: #2b2111; --bad: #f85149; --bad-soft: #2d1214; }
}
@media (max-width: 40rem) { td.detail, th.detail { display: none; } }
`;
