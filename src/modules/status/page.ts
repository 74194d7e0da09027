import { escapeHtml, htmlDocument } from "../../platform/lib/html";
import type { ComponentKind, OverallState, StatusComponent, StatusReport } from "./schema";

export const STATUS_CSS_PATH = "/status/assets/status.css";

/** No script at all: the page loads only its own stylesheet and refreshes itself with a meta tag. */
export const STATUS_CSP =
  "default-src 'none'; style-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const HEADLINES: Record<OverallState, string> = {
  operational: "All systems operational",
  degraded: "Degraded: some components need attention",
  down: "Down: the gateway cannot serve requests",
};

const SECTIONS: [ComponentKind, string][] = [
  ["database", "Database"],
  ["durable_object", "Durable Objects"],
  ["queue", "Queues"],
  ["rate_limiter", "Rate limiter"],
  ["connector", "Bank connectors"],
];

function row(component: StatusComponent): string {
  const breaker = component.breaker
    ? ` <span class="breaker">(breaker ${escapeHtml(component.breaker)})</span>`
    : "";
  return `<tr>
<td><code>${escapeHtml(component.name)}</code></td>
<td><span class="badge ${escapeHtml(component.status)}">${escapeHtml(component.status)}</span>${breaker}</td>
<td class="latency">${component.latency_ms} ms</td>
<td class="detail">${escapeHtml(component.detail)}</td>
</tr>`;
}

function section(title: string, components: StatusComponent[]): string {
  if (components.length === 0) return "";
  return `<section>
<h2>${escapeHtml(title)}</h2>
<table>
<thead><tr><th>Component</th><th>Status</th><th>Latency</th><th class="detail">Detail</th></tr></thead>
<tbody>
${components.map(row).join("\n")}
</tbody>
</table>
</section>`;
}

/** The human view of the same report machines get as JSON. */
export function statusPage(report: StatusReport): string {
  const headline = HEADLINES[report.status];
  const sections = SECTIONS.map(([kind, title]) =>
    section(
      title,
      report.components.filter((c) => c.kind === kind),
    ),
  );
  return htmlDocument({
    title: `${headline} · Portico status`,
    head: `<meta http-equiv="refresh" content="30">\n<link rel="stylesheet" href="${STATUS_CSS_PATH}">`,
    main: `<header class="summary ${escapeHtml(report.status)}">
<h1>${escapeHtml(headline)}</h1>
<p>Portico <span class="env">${escapeHtml(report.environment)}</span> · API ${escapeHtml(report.version)} · checked <time datetime="${escapeHtml(report.time)}">${escapeHtml(report.time)}</time></p>
</header>
${sections.filter(Boolean).join("\n")}
<footer>
<p>This page refreshes every 30 seconds. Machines get the same report as JSON from this address (<code>Accept: application/json</code>). API reference: <a href="/docs">/docs</a>.</p>
</footer>`,
  });
}
