import type { VersionChange } from "./change";
import { kycPhoneNumber } from "./changes/kyc-phone-number";

/** A deprecation (RFC 9745) with its sunset (RFC 8594): dates as `yyyy-mm-dd`, midnight UTC. */
export interface Deprecation {
  /** Since when it is deprecated. */
  readonly since: string;
  /** When it stops being served; absent while no date is set. */
  readonly sunset?: string;
}

/**
 * A dated API version: the changes it brought over the version before it (empty for the first),
 * and its deprecation when one is announced.
 */
export interface ApiVersion {
  readonly date: string;
  readonly summary: string;
  readonly changes: readonly VersionChange[];
  readonly deprecation?: Deprecation;
}

/**
 * Every published version, oldest first. The last is current: new partners are pinned to it and
 * the code runs at it; every older version is reached through the changes of the versions after
 * it. Add a version at the end; never edit a published one's changes.
 */
export const VERSIONS: readonly ApiVersion[] = [
  {
    date: "2026-06-01",
    summary: "The first dated version: the API as it was before versions had dates.",
    changes: [],
    deprecation: { since: "2026-12-01", sunset: "2027-06-01" },
  },
  {
    date: "2026-12-01",
    summary: "One name for a phone number across the API.",
    changes: [kycPhoneNumber],
  },
];

const LAST = VERSIONS[VERSIONS.length - 1];
if (!LAST) throw new Error("no API version is published");
/** The version the code runs at, and new partners and webhook endpoints are pinned to. */
export const CURRENT_VERSION: string = LAST.date;
/** The first version: what a partner made before versions had dates is pinned to. */
export const FIRST_VERSION: string = (VERSIONS[0] as ApiVersion).date;

export const VERSION_DATES: readonly string[] = VERSIONS.map((v) => v.date);

const byDate = new Map(VERSIONS.map((v, i) => [v.date, i]));

/** The published version of that name, or undefined (unknown or malformed). */
export const findVersion = (date: string): ApiVersion | undefined => {
  const i = byDate.get(date);
  return i === undefined ? undefined : VERSIONS[i];
};

export const isKnownVersion = (date: string): boolean => byDate.has(date);

/**
 * The changes between a version and the current one, oldest first: what a request at `date`
 * crosses on its way up (in this order) and its answer on the way down (in reverse). Empty at
 * the current version.
 */
export function changesAfter(date: string): readonly VersionChange[] {
  const i = byDate.get(date);
  if (i === undefined || i === VERSIONS.length - 1) return [];
  let cached = after.get(date);
  if (!cached) {
    cached = VERSIONS.slice(i + 1).flatMap((v) => v.changes);
    after.set(date, cached);
  }
  return cached;
}
const after = new Map<string, readonly VersionChange[]>();
