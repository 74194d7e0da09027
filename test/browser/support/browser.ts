// Chromium from the machine (scripts/test-services.sh installs Debian's), driven by playwright-core:
// Playwright's own browser download needs the internet, which this machine does not have.
import { type Browser, chromium, type Locator, type Page } from "playwright-core";

/**
 * Headless, and quiet on the network: without the background-networking flags Chromium keeps
 * dialling Google's services, and this machine's closed network refuses every connection.
 * Each launch gets a new temporary profile (Playwright's own user-data dir, removed on close).
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/** What went wrong on a page, as the user would never see it: the console, CSP, other origins. */
export interface Watched {
  page: Page;
  /** Console errors, uncaught exceptions and CSP violations, in order. */
  problems: string[];
  /** Every request the page made to an origin other than the gateway's. */
  foreign: string[];
  /** True once the CSP listener has run in the current document: its silence then means something. */
  listening(): Promise<boolean>;
}

// Runs before any of the page's own code, outside its CSP (Playwright injects it over CDP), so a
// page without any script still reports its violations.
const CSP_LISTENER = `
window.__cspListening = true;
document.addEventListener("securitypolicyviolation", (e) => {
  console.error("CSP violation: " + e.violatedDirective + " blocked " + (e.blockedURI || "inline") +
    " (" + (e.sourceFile || e.documentURI) + ":" + e.lineNumber + ")");
});
`;

/**
 * A page in a fresh context (no cookies, no cache) that records every problem on it.
 * `bypassCSP` only for a test that must run its own code on a page whose CSP forbids it.
 */
export async function watchedPage(
  browser: Browser,
  origin: string,
  options: { bypassCSP?: boolean } = {},
): Promise<Watched> {
  const context = await browser.newContext({ baseURL: origin, bypassCSP: options.bypassCSP ?? false });
  await context.addInitScript({ content: CSP_LISTENER });
  const page = await context.newPage();
  const problems: string[] = [];
  const foreign: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(`console: ${message.text()} (${message.location().url})`);
  });
  page.on("pageerror", (error) => problems.push(`uncaught: ${error.message}`));
  page.on("request", (request) => {
    const url = new URL(request.url());
    if (url.protocol !== "data:" && url.origin !== origin)
      foreign.push(`${request.method()} ${request.url()}`);
  });
  const listening = () => page.evaluate(() => Reflect.get(globalThis, "__cspListening") === true);
  return { page, problems, foreign, listening };
}

// Only inside page callbacks, which run in Chromium. tsconfig.node.json has no DOM lib: it would
// retype the Web Crypto calls of the src/ code the scripts import.
declare const getComputedStyle: (element: unknown) => { getPropertyValue(property: string): string };

/** An element's computed CSS property, e.g. "background-color", as Chromium resolved it. */
export function computedStyle(locator: Locator, property: string): Promise<string> {
  return locator.evaluate((element, name) => getComputedStyle(element).getPropertyValue(name), property);
}

/** Polls `what` every 200 ms until `ok` holds (at most 20 s): a bound, never a timing assertion. */
export async function until<T>(what: () => Promise<T>, ok: (value: T) => boolean, label: string): Promise<T> {
  for (let i = 0; i < 100; i++) {
    const value = await what();
    if (ok(value)) return value;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${label}`);
}

/** The page's full width in CSS pixels: more than the viewport means something scrolls sideways. */
export function pageWidth(page: Page): Promise<number> {
  return page.evaluate(
    () =>
      (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document
        .documentElement.scrollWidth,
  );
}
