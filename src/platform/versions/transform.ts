import type { ObjectChange, RequestChange, VersionChange } from "./change";
import { changesAfter } from "./registry";

/**
 * The chain, both ways, for a version: what a request at that version crosses on its way up to
 * the current version, and what an answer crosses on its way back down. Computed once per
 * version and kept: the current version's chain is empty, so its traffic never parses anything.
 */
export interface Chain {
  /** The version the caller speaks. */
  readonly version: string;
  /** True when nothing separates it from the current version. */
  readonly empty: boolean;
  /** Request changes by `METHOD /route/{param}` template, oldest first. */
  requestChangesFor(method: string, path: string): readonly RequestChange[];
  /** Object changes by object type, newest first (the order of the way down). */
  readonly objects: ReadonlyMap<string, readonly ObjectChange[]>;
  /** `"object":"<type>"` for each type the chain touches: a cheap test of a serialised answer. */
  readonly markers: readonly string[];
}

interface CompiledRequest {
  method: string;
  pattern: RegExp;
  change: RequestChange;
}

const templateToRegExp = (path: string) =>
  new RegExp(`^${path.replace(/[.+?^$()|[\]\\]/g, "\\$&").replace(/\{[^/}]+\}/g, "[^/]+")}$`);

function buildChain(version: string, changes: readonly VersionChange[]): Chain {
  const requests: CompiledRequest[] = changes.flatMap((c) =>
    (c.requests ?? []).map((r) => ({ method: r.method, pattern: templateToRegExp(r.path), change: r })),
  );
  const objects = new Map<string, ObjectChange[]>();
  for (const change of [...changes].reverse()) {
    for (const o of change.objects ?? []) objects.set(o.object, [...(objects.get(o.object) ?? []), o]);
  }
  return {
    version,
    empty: changes.length === 0,
    requestChangesFor: (method, path) =>
      requests.filter((r) => r.method === method && r.pattern.test(path)).map((r) => r.change),
    objects,
    markers: [...objects.keys()].map((type) => `"object":${JSON.stringify(type)}`),
  };
}

const chains = new Map<string, Chain>();

/** The chain of a published version (an unknown one has none: callers refuse it first). */
export function chainFor(version: string): Chain {
  let chain = chains.get(version);
  if (!chain) {
    chain = buildChain(version, changesAfter(version));
    chains.set(version, chain);
  }
  return chain;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === "object" && !Array.isArray(v);

/** A request's `params` at the chain's version, made current (oldest change first). */
export function upgradeParams(
  changes: readonly RequestChange[],
  params: Record<string, unknown>,
): Record<string, unknown> {
  let out = params;
  for (const change of changes) out = change.upgrade(out);
  return out;
}

/**
 * A current value (an envelope's `result`, an event's `data`) at the chain's version: every
 * object of a type the chain touches is downgraded, newest change first, wherever it is nested
 * (lists, an event's `data.object`). Inner objects are downgraded before the object holding them.
 * Copies only what changes; the input is never mutated.
 */
export function downgradeValue(chain: Chain, value: unknown): unknown {
  if (chain.objects.size === 0) return value;
  return walk(chain.objects, value);
}

function walk(objects: ReadonlyMap<string, readonly ObjectChange[]>, value: unknown): unknown {
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    value.forEach((item, i) => {
      const next = walk(objects, item);
      if (next !== item) {
        out ??= [...value];
        out[i] = next;
      }
    });
    return out ?? value;
  }
  if (!isRecord(value)) return value;
  let out: Record<string, unknown> = value;
  for (const [key, item] of Object.entries(value)) {
    const next = walk(objects, item);
    if (next !== item) {
      if (out === value) out = { ...value };
      out[key] = next;
    }
  }
  const changes = typeof out.object === "string" ? objects.get(out.object) : undefined;
  for (const change of changes ?? []) out = change.downgrade(out);
  return out;
}

/** Whether a serialised answer holds an object the chain touches (false: it leaves as it is). */
export const mentionsChangedObject = (chain: Chain, text: string): boolean =>
  chain.markers.some((m) => text.includes(m));

/** A field path named by the current version, as the caller's version names it. */
export function fieldAtVersion(changes: readonly RequestChange[], field: string): string {
  let out = field;
  for (const change of [...changes].reverse()) {
    for (const [current, old] of Object.entries(change.renamedFields ?? {})) {
      if (out === current || out.startsWith(`${current}.`)) out = old + out.slice(current.length);
    }
  }
  return out;
}

const lastSegment = (path: string) => path.slice(path.lastIndexOf(".") + 1);
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** A refusal's message at the caller's version: each renamed field's current name as the caller names it. */
export function messageAtVersion(changes: readonly RequestChange[], message: string): string {
  let out = message;
  for (const change of [...changes].reverse()) {
    for (const [current, old] of Object.entries(change.renamedFields ?? {})) {
      out = out.replace(new RegExp(`\\b${escapeRegExp(lastSegment(current))}\\b`, "g"), lastSegment(old));
    }
  }
  return out;
}
