import { escapeHtml, htmlDocument } from "../../../platform/lib/html";
import { formatMinor } from "../../../platform/lib/money";
import type { RedirectKind } from "../connector/sandbox";
import type { Payment } from "../model";
import type { PaymentStatus } from "../state";
import type { Flow } from "./flows";

// Self-contained pages: one inline stylesheet (allowed by its hash), plain forms, no script.
const STYLE = `
:root{color-scheme:light dark;font-family:system-ui,-apple-system,"Segoe UI",sans-serif}
body{margin:0;min-height:100vh;display:flex;align-items:center;justify-content:center;background:#eef1f5;color:#1b2330}
main{box-sizing:border-box;width:min(28rem,100% - 2rem);margin:1rem;padding:1.5rem;background:#fff;border-radius:12px;box-shadow:0 2px 12px #0002}
.badge{display:inline-block;margin:0 0 1rem;padding:.2rem .6rem;border-radius:999px;background:#fff3cd;color:#6b4f00;font-size:.8rem;font-weight:600}
h1{margin:0 0 .5rem;font-size:1.3rem}
p{line-height:1.45}
dl{display:grid;grid-template-columns:auto 1fr;gap:.35rem 1rem;margin:1rem 0;padding:1rem;background:#f6f8fa;border-radius:8px}
dt{color:#5b6573}dd{margin:0;font-weight:600;overflow-wrap:anywhere}
form{margin:.5rem 0}
button{width:100%;padding:.7rem;border:1px solid #c4cbd4;border-radius:8px;background:#fff;color:inherit;font:inherit;cursor:pointer}
button.primary{background:#1f6feb;border-color:#1f6feb;color:#fff;font-weight:600}
code{font-size:.95em}
.note{color:#5b6573;font-size:.85rem}
@media (prefers-color-scheme:dark){body{background:#0d1117;color:#e6edf3}main{background:#161b22}dl{background:#0d1117}dt,.note{color:#9da7b3}button{background:#21262d;border-color:#30363d}}
`;

let styleHash: Promise<string> | undefined;
const hashOf = async (text: string) => {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
  return btoa(String.fromCharCode(...digest));
};

/** Nothing loads but the page's own stylesheet; forms post only to this origin; no framing, no referrer. */
export async function pageCsp(): Promise<string> {
  styleHash ??= hashOf(STYLE);
  return (
    `default-src 'none'; style-src 'sha256-${await styleHash}'; img-src data:; ` +
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
  );
}

const STATUS_WORDS: Record<PaymentStatus, string> = {
  requires_action: "waiting for 3-D Secure",
  pending: "waiting for the bank",
  authorized: "authorized",
  captured: "completed",
  partially_refunded: "partially refunded",
  refunded: "refunded",
  failed: "declined",
  canceled: "canceled",
  expired: "expired",
};

function page(title: string, body: string): string {
  return htmlDocument({
    title: `${title} · Portico sandbox`,
    head: `<link rel="icon" href="data:,">\n<style>${STYLE}</style>`,
    main: `<p class="badge">Portico sandbox · test mode: no real money moves</p>\n${body}`,
  });
}

/** What the customer may see: the merchant, the amount, the card's brand and last 4. Never metadata. */
function details(payment: Payment, merchantName: string): string {
  const card = payment.payment_method.card;
  const rows: [string, string][] = [
    ["Merchant", merchantName],
    ["Amount", formatMinor(payment.amount, payment.currency)],
    ...(card ? [["Card", `${card.brand.toUpperCase()} •••• ${card.last4}`] as [string, string]] : []),
    ["Payment", payment.id],
  ];
  return `<dl>${rows.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join("")}</dl>`;
}

/** The page the redirect leads to: the payment and one form per possible answer. */
export function challengePage(
  kind: RedirectKind,
  flow: Flow,
  payment: Payment,
  merchantName: string,
  sig: string,
): string {
  const query = `?sig=${encodeURIComponent(sig)}`;
  const forms = flow.choices.map((choice, i) => {
    const action = `/sandbox/${kind}/${encodeURIComponent(payment.id)}/${choice.outcome}${query}`;
    const cls = i === 0 ? ' class="primary"' : "";
    return `<form method="post" action="${escapeHtml(action)}"><button type="submit"${cls}>${escapeHtml(choice.label)}</button></form>`;
  });
  return page(
    flow.title,
    `<h1>${escapeHtml(flow.title)}</h1>
<p>${escapeHtml(flow.intro)} Pick the answer to simulate.</p>
${details(payment, merchantName)}
${forms.join("\n")}
<p class="note">In production this page belongs to the customer's bank.</p>`,
  );
}

/** After a button: the payment's status now. */
export function resultPage(payment: Payment, merchantName: string): string {
  const words = STATUS_WORDS[payment.status];
  return page(
    `Payment ${words}`,
    `<h1>Payment ${escapeHtml(words)}</h1>
<p>The payment's status is now <code>${escapeHtml(payment.status)}</code>. The merchant sees it from the API and its webhook events. You can close this window.</p>
${details(payment, merchantName)}`,
  );
}

/** The payment has left the status this page acts on (answered before, expired, canceled by the merchant). */
export function alreadyPage(status: PaymentStatus, payment?: Payment, merchantName?: string): string {
  const words = STATUS_WORDS[status];
  return page(
    `Payment already ${words}`,
    `<h1>This payment is already ${escapeHtml(words)}</h1>
<p>Its status is <code>${escapeHtml(status)}</code>: there is nothing left to answer here, and nothing was changed.</p>
${payment && merchantName !== undefined ? details(payment, merchantName) : ""}`,
  );
}

/** A missing or wrong signature and an unknown payment look the same. */
export function notFoundPage(): string {
  return page(
    "Link not valid",
    "<h1>This link is not valid</h1>\n<p>Check that the whole address was copied, including its <code>sig</code>.</p>",
  );
}

export function unavailablePage(): string {
  return page(
    "Payments paused",
    "<h1>Payments are paused</h1>\n<p>The sandbox's payments are switched off for now. Nothing was changed; try again later.</p>",
  );
}
