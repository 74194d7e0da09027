import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import readme from "../../README.md?raw";
import { type CurlCall, curlRequest } from "../support/curl";
import { drain, type OutboxObject, paymentObject, payoutObject } from "../support/objects";
import { provisionDemoPartner } from "../support/partners";
import { type Line, logicalLines, shBlockUnder, type Token, tokenize, type Word } from "../support/shell";
import { until } from "../support/webhooks";

// Runs README.md's "Demo flow" block as written, each curl as a fetch to the Worker under test, and
// checks each answer against what the block says about it. The webhook endpoint is registered at
// the block's own URL (127.0.0.1:8788): its deliveries fail, which the block makes no claim about.
// Between commands the payment and payout objects drain their outboxes, as they do at a person's
// pace: ledger postings land a moment after each answer, and the payout spends what they credit.

/** What a trailing comment says the call answers: a status now, or one it reaches later. */
interface Claim {
  status: string;
  later: boolean;
}

function claimOf(comment: string | undefined, statuses: Set<string>): Claim | undefined {
  if (comment === undefined) return undefined;
  const m = /^(?:status: )?([a-z_]+)(.*)$/.exec(comment);
  const status = m?.[1] ?? "";
  const rest = m?.[2]?.trim() ?? "";
  if (!statuses.has(status)) throw new Error(`the comment "${comment}" names no status`);
  if (rest === "" || rest.startsWith(";")) return { status, later: false };
  if (/^about \d+ s later\b/.test(rest)) return { status, later: true };
  throw new Error(`cannot tell what "${comment}" claims`);
}

const JSON_PATH = /^JSON\.parse\(require\("fs"\)\.readFileSync\(0\)\)((?:\.[A-Za-z_]\w*)+)$/;

class Demo {
  readonly vars = new Map<string, string>();
  readonly sent: CurlCall[] = [];
  readonly later: { request: CurlCall; status: string }[] = [];
  private readonly objects: OutboxObject[] = [];
  private claim: Claim | undefined;
  private callsInLine = 0;

  constructor(
    private readonly statuses: Set<string>,
    private readonly partnerId: string,
  ) {}

  async run(line: Line) {
    this.claim = claimOf(line.comment, this.statuses);
    this.callsInLine = 0;
    const [first, ...rest] = line.tokens;
    const head = first && "word" in first ? first.word[0] : undefined;
    const assignment = head && "lit" in head ? /^([A-Za-z_]\w*)=(.*)$/s.exec(head.lit) : null;
    if (assignment && first && "word" in first) {
      if (rest.length > 0) throw new Error(`an assignment followed by more: ${line.text}`);
      const value = [{ lit: assignment[2] ?? "" }, ...first.word.slice(1)];
      this.vars.set(assignment[1] ?? "", await this.expand(value));
    } else {
      const args = await this.words(line.tokens);
      if (args[0] !== "curl") throw new Error(`not a curl command: ${line.text}`);
      await this.curl(args.slice(1));
    }
    if (this.claim && this.callsInLine !== 1)
      throw new Error(`a claim for ${this.callsInLine} calls: ${line.text}`);
  }

  private async words(tokens: Token[]): Promise<string[]> {
    const out: string[] = [];
    for (const t of tokens) {
      if (!("word" in t)) throw new Error("a pipe outside $(curl … | node -pe …)");
      out.push(await this.expand(t.word));
    }
    return out;
  }

  private async expand(word: Word): Promise<string> {
    let s = "";
    for (const part of word) {
      if ("lit" in part) s += part.lit;
      else if ("var" in part) {
        const value = this.vars.get(part.var);
        if (value === undefined) throw new Error(`$${part.var} is not set`);
        s += value;
      } else s += await this.substitute(part.sub);
    }
    return s;
  }

  /** `$(node -p 'crypto.randomUUID()')`, or `$(curl … | node -pe 'JSON.parse(…).a.b')`. */
  private async substitute(src: string): Promise<string> {
    if (src === "node -p 'crypto.randomUUID()'") return crypto.randomUUID();
    const { tokens, comment } = tokenize(src);
    const pipe = tokens.findIndex((t) => "pipe" in t);
    const node = pipe < 0 ? [] : await this.words(tokens.slice(pipe + 1));
    const path =
      node[0] === "node" && node[1] === "-pe" && node.length === 3 ? JSON_PATH.exec(node[2] ?? "") : null;
    if (comment !== undefined || !path?.[1]) throw new Error(`unsupported command substitution: $(${src})`);
    const curl = await this.words(tokens.slice(0, pipe));
    if (curl[0] !== "curl") throw new Error(`not a curl command: ${src}`);
    let value: unknown = await this.curl(curl.slice(1));
    for (const key of path[1].slice(1).split(".")) value = field(value, key);
    if (typeof value !== "string") throw new Error(`${path[1]} of the answer is not a string`);
    return value;
  }

  private async curl(args: string[]): Promise<unknown> {
    const request = curlRequest(args);
    const base = this.vars.get("BASE");
    if (!base || !request.url.startsWith(`${base}/`)) throw new Error(`a call outside $BASE: ${request.url}`);
    this.sent.push(request);
    this.callsInLine++;
    for (const stub of this.objects) await drain(stub);
    const json = await answerOf(request, `${request.init.method} ${request.url}`);
    this.track(request, base);
    if (this.claim?.later) this.later.push({ request, status: this.claim.status });
    else if (this.claim) expect(resultStatus(json), request.url).toBe(this.claim.status);
    return json;
  }

  /** A created payment or payout: its object is named by the partner and the Idempotency-Key. */
  private track(request: CurlCall, base: string) {
    const key = request.init.headers["Idempotency-Key"];
    if (request.init.method !== "POST" || key === undefined) return;
    const path = request.url.slice(base.length);
    if (path === "/v1/payments") this.objects.push(paymentObject(this.partnerId, key));
    if (path === "/v1/payouts") this.objects.push(payoutObject(this.partnerId, key));
  }
}

/** Sends the request; the answer must be 2xx and, when it is an envelope, carry `error: null`. */
async function answerOf(request: CurlCall, what: string): Promise<unknown> {
  const { method, headers, body } = request.init;
  // A body-less curl POST reaches a Worker over HTTP as an empty body stream, not as no body (as
  // SELF.fetch would hand it over), so that is what is sent.
  const empty = new ReadableStream({ start: (c) => c.close() });
  const bodyless = method === "GET" || method === "HEAD";
  const res = await SELF.fetch(request.url, { method, headers, body: body ?? (bodyless ? null : empty) });
  const text = await res.text();
  expect(res.status, `${what}: ${text}`).toBeGreaterThanOrEqual(200);
  expect(res.status, `${what}: ${text}`).toBeLessThan(300);
  const json: unknown = JSON.parse(text);
  if (json && typeof json === "object" && "result" in json && "error" in json) {
    expect(json.error, what).toBeNull();
  }
  return json;
}

const field = (value: unknown, key: string): unknown =>
  value && typeof value === "object" && key in value ? (value as Record<string, unknown>)[key] : undefined;

const resultStatus = (json: unknown) => field(field(json, "result"), "status");

/** Every status the published contract gives a payment, refund or payout. */
async function contractStatuses(): Promise<Set<string>> {
  const doc = (await (await SELF.fetch("http://portico.test/openapi.json")).json()) as {
    components: { schemas: Record<string, { properties?: { status?: { enum?: string[] } } }> };
  };
  const statuses = ["Payment", "Refund", "Payout"].flatMap(
    (name) => doc.components.schemas[name]?.properties?.status?.enum ?? [],
  );
  expect(statuses).toContain("requires_action");
  return new Set(statuses);
}

describe("README: Demo flow", () => {
  const block = shBlockUnder(readme, "## Demo flow");

  it("answers every call as the block says", async () => {
    const partner = await provisionDemoPartner();
    const demo = new Demo(await contractStatuses(), partner.id);
    for (const line of logicalLines(block)) await demo.run(line);

    // Counted without the parser, so a line it skipped cannot go unnoticed.
    const commands = block.split("\n").filter((l) => !l.trim().startsWith("#"));
    const curls = commands.join("\n").match(/(?:^|[\s(|])curl\s/g) ?? [];
    expect(curls.length).toBeGreaterThan(10);
    expect(demo.sent).toHaveLength(curls.length);

    // "paid about 5 s later, or press the sandbox button": by now, either has happened.
    for (const { request, status } of demo.later) {
      if (request.init.method !== "GET") throw new Error(`a later claim for ${request.init.method}`);
      const final = await until(async () => {
        const json = await answerOf(request, request.url);
        return resultStatus(json) === status && json;
      });
      expect(resultStatus(final)).toBe(status);
    }
  });
});

describe("reading the block fails loudly on what it does not understand", () => {
  const statuses = new Set(["paid"]);
  const run = (text: string) => {
    const demo = new Demo(statuses, "p");
    demo.vars.set("BASE", "http://127.0.0.1:8787");
    return demo.run({ text, ...tokenize(text) });
  };

  it.each([
    ["a list", "curl -s $BASE/v1/balance && echo"],
    ["a redirect", "curl -s $BASE/v1/balance > out.json"],
    ["backticks", "curl -s $BASE/v1/payouts/`cat id`"],
    // biome-ignore lint/suspicious/noTemplateCurlyInString: shell text, not a template
    ["braces", "curl -s ${BASE}/v1/balance"],
    ["a glob", "curl -s $BASE/v1/ledger/entries?reference=x"],
  ])("shell: %s", (_, text) => {
    expect(() => tokenize(text)).toThrow();
  });

  it.each([
    [
      "an unknown curl flag",
      "curl -s --data-urlencode x $BASE/v1/balance",
      /unsupported curl flag --data-urlencode/,
    ],
    ["-d from a file", "curl -s -d @body.json $BASE/v1/payouts", /-d @file/],
    ["an unset variable", "curl -s $BASE/v1/payouts/$PO", /\$PO is not set/],
    ["another command", "echo $BASE", /not a curl command/],
    ["another substitution", "X=$(date)", /unsupported command substitution/],
    ["another node expression", "X=$(curl -s $BASE/v1/balance | node -pe 'eval(1)')", /unsupported/],
    ["a call elsewhere", "curl -s http://example.com/v1/balance", /outside \$BASE/],
    ["a comment naming no status", "curl -s $BASE/v1/balance   # done", /names no status/],
    ["a claim it cannot read", "curl -s $BASE/v1/balance   # paid, probably", /cannot tell/],
  ])("%s", async (_, text, error) => {
    await expect(run(text)).rejects.toThrow(error);
  });
});
