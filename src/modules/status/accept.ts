interface MediaRange {
  type: string;
  subtype: string;
  q: number;
}

function parseAccept(header: string): MediaRange[] {
  const ranges: MediaRange[] = [];
  for (const part of header.split(",")) {
    const [range = "", ...params] = part.split(";").map((s) => s.trim().toLowerCase());
    const [type, subtype] = range.split("/");
    if (!type || !subtype) continue;
    const qParam = params.find((p) => p.startsWith("q="));
    const q = qParam === undefined ? 1 : Number(qParam.slice(2));
    if (Number.isNaN(q)) continue;
    ranges.push({ type, subtype, q: Math.min(1, Math.max(0, q)) });
  }
  return ranges;
}

/** The quality of `type/subtype`: from the most specific range that matches it (RFC 9110 §12.5.1). */
function qualityOf(ranges: readonly MediaRange[], type: string, subtype: string): number {
  let best = { specificity: -1, q: 0 };
  for (const r of ranges) {
    const specificity =
      r.type === type && r.subtype === subtype
        ? 2
        : r.type === type && r.subtype === "*"
          ? 1
          : r.type === "*" && r.subtype === "*"
            ? 0
            : -1;
    if (specificity > best.specificity) best = { specificity, q: r.q };
  }
  return best.q;
}

/**
 * True when the Accept header ranks HTML above JSON, as a browser's does
 * (`text/html,…,*\/*;q=0.8`). No header, `*\/*` or a tie answer JSON: machines are the default.
 */
export function prefersHtml(accept: string | undefined): boolean {
  if (!accept) return false;
  const ranges = parseAccept(accept);
  return qualityOf(ranges, "text", "html") > qualityOf(ranges, "application", "json");
}
