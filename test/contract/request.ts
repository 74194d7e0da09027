/** One request of the contract test, independent of who serves it (the gateway or a test app). */
export interface ContractRequest {
  method: string;
  /** The documented path template: `/v1/payments/{id}/capture`. */
  path: string;
  pathParams: Record<string, string>;
  query: Record<string, string>;
  headers: Record<string, string>;
  /** The body's value: sent as JSON, or form-encoded when `encoding` says so. */
  json?: unknown;
  encoding?: "json" | "form";
  /** Sent as is instead of `json` (invalid JSON, a string of another media type). */
  raw?: string;
}

export interface Exchange {
  request: ContractRequest;
  status: number;
  contentType: string;
  text: string;
  /** The parsed JSON answer; undefined when it is not JSON. */
  body: unknown;
}

export type Send = (request: ContractRequest) => Promise<Exchange>;

export function urlOf(request: ContractRequest): string {
  const path = request.path.replace(/\{(\w+)\}/g, (_, name: string) =>
    encodeURIComponent(request.pathParams[name] ?? ""),
  );
  const query = new URLSearchParams(request.query).toString();
  return query ? `${path}?${query}` : path;
}

function formOf(value: unknown): string {
  const entries =
    value !== null && typeof value === "object" && !Array.isArray(value)
      ? Object.entries(value).map(([k, v]): [string, string] => [
          k,
          typeof v === "string" ? v : JSON.stringify(v),
        ])
      : [];
  return new URLSearchParams(entries).toString();
}

export function bodyOf(request: ContractRequest): string | undefined {
  if (request.raw !== undefined) return request.raw;
  if (request.json === undefined) return undefined;
  return request.encoding === "form" ? formOf(request.json) : JSON.stringify(request.json);
}

/** The request as `fetch` arguments, relative to `base`. */
export function toRequest(base: string, request: ContractRequest): Request {
  return new Request(`${base}${urlOf(request)}`, {
    method: request.method,
    headers: request.headers,
    ...(bodyOf(request) !== undefined ? { body: bodyOf(request) } : {}),
  });
}

export async function exchangeOf(request: ContractRequest, res: Response): Promise<Exchange> {
  const text = await res.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  return { request, status: res.status, contentType: res.headers.get("Content-Type") ?? "", text, body };
}

/** `POST /v1/payments/{id}/capture` with its filled path, for failure messages. */
export function describeRequest(request: ContractRequest): string {
  const body = bodyOf(request);
  const shown = body === undefined ? "(no body)" : body.length > 160 ? `${body.slice(0, 160)}…` : body;
  const url = urlOf(request);
  const shownUrl = url.length > 120 ? `${url.slice(0, 120)}…` : url;
  return `${request.method} ${shownUrl} ${shown}`;
}
