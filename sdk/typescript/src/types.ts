// What a call takes and answers, read from the generated document (generated/openapi.d.ts).
import type { components, paths } from "./generated/openapi.js";

export type { components, paths };

/** The HTTP methods `/v1` answers. */
export type Method = "GET" | "POST" | "PATCH" | "DELETE";

/** Every `/v1` path of the document (the token endpoint and the public pages are not enveloped). */
export type V1Path = Extract<keyof paths, `/v1/${string}`>;

/** The `/v1` paths that have an operation for `M`. */
export type PathsWith<M extends Method> = {
  [P in V1Path]: paths[P] extends Record<Lowercase<M>, object> ? P : never;
}[V1Path];

/** The generated operation of `M` on `P`. */
export type Operation<M extends Method, P extends PathsWith<M>> =
  paths[P] extends Record<Lowercase<M>, infer O> ? O : never;

type RequiredKeys<T> = { [K in keyof T]-?: object extends Pick<T, K> ? never : K }[keyof T];
type DropNever<T> = { [K in keyof T as [NonNullable<T[K]>] extends [never] ? never : K]: T[K] };
/** `{ key: T }` when T has a required member, `{ key?: T }` when it has only optional ones, `{}` when none. */
type Member<Key extends string, T> = [keyof T] extends [never]
  ? object
  : [RequiredKeys<T>] extends [never]
    ? { [K in Key]?: T }
    : { [K in Key]: T };

type ParametersOf<O> = O extends { parameters: infer X } ? X : object;
/** The header parameters the caller gives: the SDK sets `Idempotency-Key` itself (see `idempotencyKey`). */
type HeadersOf<O> =
  ParametersOf<O> extends { header?: infer H }
    ? [NonNullable<H>] extends [never]
      ? object
      : Member<"header", Omit<NonNullable<H>, "Idempotency-Key">>
    : object;

/** `path`, `query` and `header` parameters of an operation, as openapi-fetch takes them. */
export type ParamsOf<O> = DropNever<Omit<ParametersOf<O>, "header" | "cookie">> & HeadersOf<O>;

type BodyMember<O> = O extends { requestBody: { content: { "application/json": infer B } } }
  ? { body: B }
  : O extends { requestBody?: { content: { "application/json": infer B } } }
    ? { body?: B }
    : { body?: never };

/** The JSON body of an operation: the envelope `{ id?, params }`. */
export type BodyOf<O> = O extends { requestBody?: { content: { "application/json": infer B } } } ? B : never;

/** What every call takes besides its parameters and body. */
export interface CallOptions {
  /** POST only: the `Idempotency-Key`. Default: a new UUID per call, the same on each of its retries. */
  idempotencyKey?: string;
  /** Cancels the call, its retries and their waits. */
  signal?: AbortSignal;
  /** Extra request headers (`X-Request-Id`, …). `Authorization` and `Idempotency-Key` are the SDK's. */
  headers?: Record<string, string>;
}

/** The options of one call: `params` (required when the operation has required parameters), `body`, `CallOptions`. */
export type RequestOptions<O> = ([RequiredKeys<ParamsOf<O>>] extends [never]
  ? { params?: ParamsOf<O> }
  : { params: ParamsOf<O> }) &
  BodyMember<O> &
  CallOptions;

/** The options argument: optional when nothing in it is required. */
export type OptionsArg<O> = [RequiredKeys<RequestOptions<O>>] extends [never]
  ? [options?: RequestOptions<O>]
  : [options: RequestOptions<O>];

type SuccessJson<O> = O extends { responses: { 200: { content: { "application/json": infer J } } } }
  ? J
  : O extends { responses: { 201: { content: { "application/json": infer J } } } }
    ? J
    : never;

/** The envelope's `result` of an operation's success. */
export type ResultOf<O> = SuccessJson<O> extends { result: infer R } ? R : never;

/** A call's result with what the answer says about it. */
export interface Answer<T> {
  result: T;
  /** HTTP status: 200, or 201 when a consumer credential is created. */
  status: number;
  /** The envelope's `id`: yours when you sent one, else the request's. */
  id: string;
  /** `X-Request-Id`: quote it to support. */
  requestId: string | undefined;
  /** `Idempotent-Replayed: true`: the stored answer of an earlier request with the same key. */
  replayed: boolean;
  /** The `Idempotency-Key` the call was sent with (POST only). */
  idempotencyKey: string | undefined;
  /** `Portico-Version`: the API version the answer speaks. */
  apiVersion: string | undefined;
  headers: Headers;
}

/** The `/v1` GET paths that answer a list page `{ data, has_more }` of objects with an id. */
export type ListPath = {
  [P in PathsWith<"GET">]: ResultOf<Operation<"GET", P>> extends {
    data: { id: string }[];
    has_more: boolean;
  }
    ? P
    : never;
}[PathsWith<"GET">];

/** The options of paginate() and pages(): the list's own parameters (`query`, `path`, `header`) and CallOptions. */
export type PaginateOptions<P extends ListPath> = ParamsOf<Operation<"GET", P>> &
  Omit<CallOptions, "idempotencyKey">;

/** The options argument of paginate() and pages(): optional when nothing in it is required. */
export type PaginateArg<P extends ListPath> = [RequiredKeys<PaginateOptions<P>>] extends [never]
  ? [options?: PaginateOptions<P>]
  : [options: PaginateOptions<P>];

/** One page of a list. */
export type PageOf<P extends ListPath> = ResultOf<Operation<"GET", P>>;

/** One item of a list. */
export type ItemOf<P extends ListPath> = PageOf<P> extends { data: (infer T)[] } ? T : never;

/** A webhook delivery's payload (docs/webhooks.md): the event as the endpoint's API version renders it. */
export type WebhookEvent = Pick<
  components["schemas"]["Event"],
  "id" | "type" | "created_at" | "livemode" | "data"
>;
