import { escapeHtml, htmlDocument } from "../../../platform/lib/html";

// The hosted card form: one stylesheet (allowed by its hash), one script (by the page's nonce),
// no third-party origin, no inline handler. The script is card-form/script.ts.
const STYLE = `
:root{color-scheme:light dark;font-family:system-ui,-apple-system,"Segoe UI",sans-serif}
body{margin:0;background:transparent}
main{box-sizing:border-box;padding:.5rem}
label{display:block;margin:.4rem 0 .2rem;font-size:.85rem}
input{box-sizing:border-box;width:100%;padding:.55rem;border:1px solid #c4cbd4;border-radius:6px;font:inherit}
.row{display:grid;grid-template-columns:1fr 1fr 1fr;gap:.5rem}
button{margin-top:.75rem;width:100%;padding:.6rem;border:0;border-radius:6px;background:#1f6feb;color:#fff;font:inherit;font-weight:600;cursor:pointer}
#error{min-height:1.2rem;margin:.4rem 0 0;color:#b42318;font-size:.85rem}
`;

let styleHash: Promise<string> | undefined;
const hashOf = async (text: string) => {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
  return btoa(String.fromCharCode(...digest));
};

/**
 * Only this page's stylesheet and its script (by nonce) run; it connects to this origin only,
 * posts no form anywhere, and may be framed by `parent` alone.
 */
export async function cardFormCsp(nonce: string, parent: string): Promise<string> {
  styleHash ??= hashOf(STYLE);
  return (
    `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'sha256-${await styleHash}'; ` +
    `connect-src 'self'; form-action 'none'; base-uri 'none'; frame-ancestors ${parent}`
  );
}

/** The form. The key and the parent's origin reach the script as data attributes, never as code. */
export function cardFormPage(nonce: string, key: string, parent: string): string {
  return htmlDocument({
    title: "Card",
    head: `<style>${STYLE}</style>`,
    main: `<form id="card-form" data-key="${escapeHtml(key)}" data-parent="${escapeHtml(parent)}" autocomplete="on" novalidate>
<label for="number">Card number</label>
<input id="number" name="number" inputmode="numeric" autocomplete="cc-number" maxlength="23" required>
<div class="row">
<div><label for="exp_month">Month</label><input id="exp_month" name="exp_month" inputmode="numeric" autocomplete="cc-exp-month" maxlength="2" required></div>
<div><label for="exp_year">Year</label><input id="exp_year" name="exp_year" inputmode="numeric" autocomplete="cc-exp-year" maxlength="4" required></div>
<div><label for="cvc">CVC</label><input id="cvc" name="cvc" inputmode="numeric" autocomplete="cc-csc" maxlength="4" required></div>
</div>
<button type="submit" id="submit">Use this card</button>
<p id="error" role="alert"></p>
</form>
<script nonce="${escapeHtml(nonce)}" src="/elements/card.js"></script>`,
  });
}

/** What the frame shows when it may not be used: the key is not live, or the origin is not listed. */
export const refusedPage = (text: string) =>
  htmlDocument({
    title: "Card",
    head: `<style>${STYLE}</style>`,
    main: `<p id="error">${escapeHtml(text)}</p>`,
  });
