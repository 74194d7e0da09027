/** A time as the console's tables show it: UTC, to the minute (`2026-12-10 08:15`). */
export const minute = (iso: string) => iso.slice(0, 16).replace("T", " ");

/** A time to the second, for logs. */
export const second = (iso: string) => iso.slice(0, 19).replace("T", " ");
