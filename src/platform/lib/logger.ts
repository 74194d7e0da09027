type Level = "debug" | "info" | "warn" | "error";
const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

// Field names whose values never reach a log line, whatever the caller passes.
const SECRET_FIELD = /authorization|token|secret|password|cookie|pan|card_?number|signature|^d$|key$/i;
// Digit runs that look like a card number (13–19 digits, optional separators).
const PAN = /\b(?:\d[ -]?){12,18}\d\b/g;

// A UUID of digits only (`00000000-0000-4000-8000-…`) is a run of 20 digits and dashes: never a card.
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

/** Card-number-like digit runs redacted, except inside UUIDs (also what the request log keeps of a text). */
export function redactText(text: string): string {
  let out = "";
  let from = 0;
  for (const match of text.matchAll(UUID)) {
    out += text.slice(from, match.index).replace(PAN, "[REDACTED-PAN]") + match[0];
    from = match.index + match[0].length;
  }
  return out + text.slice(from).replace(PAN, "[REDACTED-PAN]");
}

export type Fields = Record<string, unknown>;

export interface Logger {
  debug(msg: string, fields?: Fields): void;
  info(msg: string, fields?: Fields): void;
  warn(msg: string, fields?: Fields): void;
  error(msg: string, fields?: Fields): void;
  with(fields: Fields): Logger;
}

export function redact(value: unknown, depth = 0): unknown {
  if (typeof value === "string") return redactText(value);
  if (value === null || typeof value !== "object" || depth > 4) return value;
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value))
    out[k] = SECRET_FIELD.test(k) ? "[REDACTED]" : redact(v, depth + 1);
  return out;
}

/** Structured JSON lines; every line of a request carries its request id. */
class JsonLogger implements Logger {
  constructor(
    private readonly level: Level,
    private readonly base: Fields,
  ) {}

  debug(msg: string, fields?: Fields) {
    this.emit("debug", msg, fields);
  }
  info(msg: string, fields?: Fields) {
    this.emit("info", msg, fields);
  }
  warn(msg: string, fields?: Fields) {
    this.emit("warn", msg, fields);
  }
  error(msg: string, fields?: Fields) {
    this.emit("error", msg, fields);
  }
  with(fields: Fields): Logger {
    return new JsonLogger(this.level, { ...this.base, ...fields });
  }

  private emit(lvl: Level, msg: string, fields?: Fields) {
    if (ORDER[lvl] < ORDER[this.level]) return;
    const line = JSON.stringify({
      level: lvl,
      msg,
      time: new Date().toISOString(),
      ...(redact({ ...this.base, ...fields }) as Fields),
    });
    if (lvl === "error") console.error(line);
    else if (lvl === "warn") console.warn(line);
    else console.log(line);
  }
}

export const createLogger = (level: Level = "info", base: Fields = {}): Logger => new JsonLogger(level, base);
