/** The parts of an OpenAPI 3.1 document the contract test reads, and walking them. */

export interface Schema {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  enum?: unknown[];
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minItems?: number;
  maxItems?: number;
  default?: unknown;
  example?: unknown;
  additionalProperties?: boolean | Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
}

export interface Parameter {
  name: string;
  in: "path" | "query" | "header" | "cookie";
  required?: boolean;
  schema?: Schema;
}

export interface MediaType {
  schema?: Schema;
}

/** Where /v1 documents, per error status, the catalogue codes that status carries. */
export const ERROR_CODES = "x-portico-error-codes";

export interface ResponseDoc {
  description?: string;
  content?: Record<string, MediaType>;
  [ERROR_CODES]?: number[];
}

export interface OperationDoc {
  operationId?: string;
  parameters?: Parameter[];
  requestBody?: { required?: boolean; content: Record<string, MediaType> };
  responses: Record<string, ResponseDoc>;
}

export interface CatalogueEntry {
  code: number;
  status: number;
  reason: string;
  message: string;
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, OperationDoc>>;
  components?: { schemas?: Record<string, Schema> };
  "x-error-catalogue": CatalogueEntry[];
}

export interface Operation {
  /** `METHOD path`, the way the fixture table is keyed: `POST /v1/payments/{id}/capture`. */
  key: string;
  method: string;
  path: string;
  doc: OperationDoc;
}

const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

export function operationsOf(doc: OpenApiDocument): Operation[] {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => METHODS.includes(method))
      .map(([method, op]) => ({
        key: `${method.toUpperCase()} ${path}`,
        method: method.toUpperCase(),
        path,
        doc: op,
      })),
  );
}

/** Follows `#/components/schemas/...` references until a schema with content. */
export function resolve(doc: OpenApiDocument, schema: Schema | undefined): Schema {
  let current = schema ?? {};
  for (let hops = 0; current.$ref !== undefined && hops < 20; hops++) {
    const name = current.$ref.replace("#/components/schemas/", "");
    current = doc.components?.schemas?.[name] ?? {};
  }
  return current;
}

/** The documented answer for a status: exact, then `4XX`-style, then `default`. */
export function documentedResponse(op: OperationDoc, status: number): ResponseDoc | undefined {
  return op.responses[String(status)] ?? op.responses[`${String(status)[0]}XX`] ?? op.responses.default;
}

/** The JSON request body schema, when the operation documents one. */
export function jsonBodySchema(doc: OpenApiDocument, op: OperationDoc): Schema | undefined {
  const media = op.requestBody?.content["application/json"];
  return media?.schema === undefined ? undefined : resolve(doc, media.schema);
}

export const typesOf = (schema: Schema): string[] =>
  schema.type === undefined ? [] : Array.isArray(schema.type) ? schema.type : [schema.type];

/** An /v1 POST carries an Idempotency-Key (docs/idempotency.md); the token endpoint does not. */
export const needsIdempotencyKey = (op: Pick<Operation, "method" | "path">) =>
  op.method === "POST" && op.path.startsWith("/v1/");

/**
 * The GET that shows the object an operation acts on, for the state fingerprint:
 * `/v1/sandbox/payments/{id}/simulate` → `GET /v1/payments/{id}`.
 */
export function resourceOf(doc: OpenApiDocument, path: string): string | undefined {
  let candidate = path.replace("/v1/sandbox/", "/v1/");
  while (candidate.includes("{")) {
    if (doc.paths[candidate]?.get !== undefined) return candidate;
    candidate = candidate.slice(0, candidate.lastIndexOf("/"));
  }
  return undefined;
}

/** The security schemes an operation documents (`security: [{ oauth2: [scope] }]` → `["oauth2"]`). */
export const schemesOf = (op: Pick<Operation, "doc">): string[] =>
  ((op.doc as { security?: Record<string, string[]>[] }).security ?? []).flatMap((req) => Object.keys(req));

/** Whether the operation takes a publishable key (`pk_test_…`) and nothing else: POST /v1/tokens. */
export const takesPublishableKey = (op: Pick<Operation, "doc">): boolean => {
  const schemes = schemesOf(op);
  return schemes.length > 0 && schemes.every((s) => s === "publishableKey");
};
