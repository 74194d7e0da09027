import Ajv2020, { type ValidateFunction } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import {
  type CatalogueEntry,
  documentedResponse,
  ERROR_CODES,
  type OpenApiDocument,
  type Operation,
  type Schema,
} from "./openapi";
import { describeRequest, type Exchange } from "./request";

/**
 * What the request should get: a 2xx, a refusal (4xx), either; or, for a path the document
 * does not have (a trailing slash, a dot segment), either the operation's answer or 404 code 31.
 */
export type Expectation = "success" | "refusal" | "either" | "elsewhere";

/** A fingerprint of the state a request could change, by part (table, resource). */
export type Fingerprint = Record<string, string>;

/** The router's code for a path nothing serves (`route_not_found`). */
const ROUTE_NOT_FOUND = 31;

const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === "object" && !Array.isArray(v);

/**
 * The contract of one answer, from the document alone: a documented status, no 5xx but a
 * documented upstream failure, the error envelope with a catalogue code of that status (and
 * among the codes the status documents), and a body the documented schema accepts.
 */
export class ContractChecker {
  private readonly ajv: Ajv2020;
  private readonly compiled = new Map<Schema, ValidateFunction>();
  private readonly catalogue: Map<number, CatalogueEntry>;
  /** Path, query and header values are strings: coerced the way the document's types read them. */
  private readonly params = new Ajv2020({ strict: false, coerceTypes: true });
  private readonly compiledParams = new Map<Schema, ValidateFunction>();

  constructor(readonly doc: OpenApiDocument) {
    this.ajv = new Ajv2020({ strict: false, allErrors: false });
    addFormats(this.ajv);
    // The document's own `#/components/schemas/...` refs resolve against the document itself.
    this.ajv.addSchema({ components: doc.components ?? {} }, "doc");
    addFormats(this.params);
    this.catalogue = new Map(doc["x-error-catalogue"].map((e) => [e.code, e]));
  }

  /** A schema of the document, compiled once; its refs point into the document. */
  validator(schema: Schema): ValidateFunction {
    const known = this.compiled.get(schema);
    if (known) return known;
    const rebased = JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', '"doc#/components/'));
    const fn = this.ajv.compile(rebased);
    this.compiled.set(schema, fn);
    return fn;
  }

  /** Whether a parameter's string value is one its schema allows. */
  paramValidator(schema: Schema): (value: string) => boolean {
    let validate = this.compiledParams.get(schema);
    if (!validate) {
      validate = this.params.compile({ type: "object", properties: { v: schema } });
      this.compiledParams.set(schema, validate);
    }
    const fn = validate;
    return (value) => fn({ v: value });
  }

  /** Every way the answer breaks the operation's contract; empty when it keeps it. */
  check(op: Operation, ex: Exchange, expected: Expectation): string[] {
    const failures: string[] = [];
    const fail = (what: string) => failures.push(`${describeRequest(ex.request)} → ${ex.status}: ${what}`);
    if (expected === "elsewhere" && ex.status === 404) {
      // Not the operation's answer but the router's, as for any unknown path: the envelope, code 31.
      const media = ex.contentType.split(";")[0]?.trim().toLowerCase();
      if (media !== "application/json")
        fail(`an unknown path answered ${media || "no Content-Type"}: ${ex.text.slice(0, 80)}`);
      this.checkErrorEnvelope(ex.body, 404, [ROUTE_NOT_FOUND], fail);
      return failures;
    }
    const documented = documentedResponse(op.doc, ex.status);
    const error = isObject(ex.body) && isObject(ex.body.error) ? ex.body.error : undefined;
    const code = typeof error?.code === "number" ? error.code : undefined;

    if (ex.status >= 500 && !(documented && this.isUpstream(code))) {
      fail(`unexpected 5xx (code ${code ?? "none"}): ${ex.text.slice(0, 200)}`);
    }
    if (!documented) {
      fail(`status not documented (documented: ${Object.keys(op.doc.responses).join(", ")})`);
    }
    const ok = ex.status >= 200 && ex.status < 300;
    if (expected === "success" && !ok) fail(`a valid request was refused: ${ex.text.slice(0, 300)}`);
    if (expected === "refusal" && ok) fail("accepted a request its documented schema forbids");
    if (expected !== "success" && !ok && (ex.status < 400 || ex.status >= 600))
      fail("neither 2xx nor an error");

    const media = ex.contentType.split(";")[0]?.trim().toLowerCase() ?? "";
    const content = documented?.content;
    if (content !== undefined && !(media in content)) {
      fail(`answered ${media || "no Content-Type"}, documented: ${Object.keys(content).join(", ")}`);
    }
    const schema = content?.[media]?.schema;
    if (media === "application/json" && ex.body === undefined)
      fail(`answer is not JSON: ${ex.text.slice(0, 120)}`);
    else if (media === "application/json" && schema !== undefined) {
      const validate = this.validator(schema);
      if (!validate(ex.body)) {
        const errors = (validate.errors ?? [])
          .slice(0, 3)
          .map((e) => `${e.instancePath || "/"} ${e.message}`);
        fail(`answer does not match the documented schema: ${errors.join("; ")}`);
      }
    }

    if (op.path.startsWith("/v1/")) {
      // A documented download (a CSV) is its own format; every JSON success is the envelope.
      if (ok && (media === "application/json" || content === undefined))
        this.checkSuccessEnvelope(ex.body, fail);
      else if (ex.status >= 400) this.checkErrorEnvelope(ex.body, ex.status, documented?.[ERROR_CODES], fail);
    }
    return failures;
  }

  /** A 5xx a client should see: the bank's upstream failed or is unavailable (`x-error-catalogue`). */
  private isUpstream(code: number | undefined): boolean {
    const entry = code === undefined ? undefined : this.catalogue.get(code);
    return entry !== undefined && (entry.status === 502 || entry.reason.startsWith("upstream_"));
  }

  private checkSuccessEnvelope(body: unknown, fail: (what: string) => void) {
    if (!isObject(body) || typeof body.id !== "string" || !("result" in body) || body.error !== null)
      fail("a 2xx without the envelope { id, result, error: null }");
  }

  private checkErrorEnvelope(
    body: unknown,
    status: number,
    documentedCodes: number[] | undefined,
    fail: (what: string) => void,
  ) {
    const error = isObject(body) ? body.error : undefined;
    if (!isObject(body) || typeof body.id !== "string" || body.result !== null || !isObject(error)) {
      fail("an error without the envelope { id, result: null, error }");
      return;
    }
    for (const field of ["message", "reason", "docs"] as const) {
      if (typeof error[field] !== "string") fail(`error.${field} is not a string`);
    }
    if (typeof error.code !== "number") {
      fail("error.code is not a number");
      return;
    }
    const entry = this.catalogue.get(error.code);
    if (!entry) fail(`error code ${error.code} is not in the catalogue`);
    else {
      if (entry.status !== status) fail(`code ${error.code} is ${entry.status} in the catalogue`);
      if (entry.reason !== error.reason)
        fail(`code ${error.code} is "${entry.reason}", answered "${error.reason}"`);
    }
    if (documentedCodes !== undefined && !documentedCodes.includes(error.code)) {
      fail(`code ${error.code} is not documented for ${status} (documented: ${documentedCodes.join(", ")})`);
    }
  }

  /** What changed between two fingerprints: the parts that differ. */
  static changed(before: Fingerprint, after: Fingerprint): string[] {
    const parts = new Set([...Object.keys(before), ...Object.keys(after)]);
    return [...parts].filter((p) => before[p] !== after[p]).sort();
  }
}
