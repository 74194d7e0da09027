// The developer portal's one script (src/modules/portal): copy buttons, and the usage charts
// drawn with the bundled uPlot from data the page carries as JSON. Pages work without it.
"use strict";
document.addEventListener("click", (event) => {
  const button = event.target instanceof Element ? event.target.closest("button[data-copy]") : null;
  if (!button) return;
  const source = document.getElementById(button.getAttribute("data-copy") || "");
  if (!source) return;
  const text = source.textContent || "";
  const done = () => {
    button.textContent = "Copied";
    button.setAttribute("aria-live", "polite");
  };
  if (navigator.clipboard && window.isSecureContext) navigator.clipboard.writeText(text).then(done, () => select(source));
  else select(source);
});

function select(node) {
  const range = document.createRange();
  range.selectNodeContents(node);
  const selection = window.getSelection();
  if (selection) {
    selection.removeAllRanges();
    selection.addRange(range);
  }
}

// The usage page: calls and errors, and p50/p99 latency, per day, drawn by the bundled uPlot from
// the page's JSON data block. Without uPlot (or without script) the table below says the same.
function drawUsage() {
  const block = document.getElementById("usage-data");
  const uPlot = window.uPlot;
  if (!block || typeof uPlot !== "function") return;
  const days = JSON.parse(block.textContent || "[]");
  const x = days.map((d) => Date.parse(`${d.date}T00:00:00Z`) / 1000);
  const width = (id) => Math.max(280, (document.getElementById(id)?.clientWidth || 600) - 8);
  const opts = (id, title, series) => ({
    title,
    width: width(id),
    height: 220,
    scales: { x: { time: true } },
    series: [{}, ...series],
  });
  const calls = document.getElementById("chart-calls");
  if (calls) {
    new uPlot(
      opts("chart-calls", "Calls per day", [
        { label: "calls", stroke: "#0a58ca", width: 2 },
        { label: "errors", stroke: "#b42318", width: 2 },
      ]),
      [x, days.map((d) => d.calls), days.map((d) => d.errors)],
      calls,
    );
  }
  const latency = document.getElementById("chart-latency");
  if (latency) {
    new uPlot(
      opts("chart-latency", "Latency per day (ms)", [
        { label: "p50", stroke: "#116329", width: 2 },
        { label: "p99", stroke: "#9a6700", width: 2 },
      ]),
      [x, days.map((d) => d.p50_latency_ms), days.map((d) => d.p99_latency_ms)],
      latency,
    );
  }
}

// The console's metrics page: approve rate (%) and p95 latency (ms) per hour, from its data block.
function drawMetrics() {
  const block = document.getElementById("metrics-data");
  const uPlot = window.uPlot;
  if (!block || typeof uPlot !== "function") return;
  const hours = JSON.parse(block.textContent || "[]");
  const x = hours.map((h) => Date.parse(h.at) / 1000);
  const draw = (id, title, label, stroke, values) => {
    const target = document.getElementById(id);
    if (!target) return;
    new uPlot(
      {
        title,
        width: Math.max(280, (target.clientWidth || 600) - 8),
        height: 220,
        scales: { x: { time: true } },
        series: [{}, { label, stroke, width: 2 }],
      },
      [x, values],
      target,
    );
  };
  draw("chart-approve", "Approve rate per hour (%)", "approve rate", "#116329", hours.map((h) => (h.approve_rate_bps === null ? null : h.approve_rate_bps / 100)));
  draw("chart-p95", "p95 latency per hour (ms)", "p95", "#9a6700", hours.map((h) => h.latency_p95_ms));
}

function drawCharts() {
  drawUsage();
  drawMetrics();
}
if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", drawCharts);
else drawCharts();
