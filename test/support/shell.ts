// Just enough POSIX shell to read the README's command blocks: words with single and double
// quotes, `$VAR`, `$(…)`, pipes and trailing comments. Anything else throws, so a README edit
// that uses more shell than this understands fails the test instead of being skipped.

export type Part = { lit: string } | { var: string } | { sub: string };
export type Word = Part[];
export type Token = { word: Word } | { pipe: true };

export interface Line {
  /** The command, with `\`-continued lines joined. */
  text: string;
  tokens: Token[];
  /** The trailing `# …` comment, if any. */
  comment?: string;
}

/** The body of the first fenced ```sh block under `heading`. */
export function shBlockUnder(markdown: string, heading: string): string {
  const start = markdown.indexOf(`\n${heading}\n`);
  if (start < 0) throw new Error(`no heading ${JSON.stringify(heading)}`);
  const open = markdown.indexOf("```sh\n", start);
  const close = markdown.indexOf("\n```", open + 6);
  if (open < 0 || close < 0) throw new Error(`no sh block under ${heading}`);
  return markdown.slice(open + 6, close);
}

/** The block's commands: continuations joined, blank and comment-only lines dropped. */
export function logicalLines(block: string): Line[] {
  const joined = block.replace(/\\\n/g, " ");
  return joined
    .split("\n")
    .filter((l) => l.trim() !== "" && !l.trim().startsWith("#"))
    .map((text) => ({ text, ...tokenize(text) }));
}

/** The index just past the `)` closing the `$(` whose contents start at `from`. */
function closingParen(src: string, from: number): number {
  let depth = 1;
  for (let i = from; i < src.length; i++) {
    const ch = src[i];
    if (ch === "'") i = src.indexOf("'", i + 1);
    else if (ch === '"') i = src.indexOf('"', i + 1);
    else if (ch === "(") depth++;
    else if (ch === ")" && --depth === 0) return i + 1;
    if (i < 0) break;
  }
  throw new Error(`unclosed $( in: ${src}`);
}

/** `$VAR` or `$(…)` at `i` (which holds the `$`): the part and the index after it. */
function dollar(src: string, i: number): [Part, number] {
  if (src[i + 1] === "(") {
    const end = closingParen(src, i + 2);
    return [{ sub: src.slice(i + 2, end - 1) }, end];
  }
  const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i + 1))?.[0];
  if (!name) throw new Error(`unsupported $ expansion at ${JSON.stringify(src.slice(i, i + 10))}`);
  return [{ var: name }, i + 1 + name.length];
}

/** Splits one command into words and pipes; throws on any shell construct not handled here. */
export function tokenize(src: string): { tokens: Token[]; comment?: string } {
  const tokens: Token[] = [];
  let word: Word | undefined;
  const lit = (s: string) => {
    word ??= [];
    const last = word[word.length - 1];
    if (last && "lit" in last) last.lit += s;
    else word.push({ lit: s });
  };
  const end = () => {
    if (word) tokens.push({ word });
    word = undefined;
  };
  let i = 0;
  while (i < src.length) {
    const ch = src[i] ?? "";
    if (/\s/.test(ch)) {
      end();
      i++;
    } else if (ch === "#" && !word) {
      end();
      return { tokens, comment: src.slice(i + 1).trim() };
    } else if (ch === "|") {
      end();
      tokens.push({ pipe: true });
      i++;
    } else if (ch === "'") {
      const close = src.indexOf("'", i + 1);
      if (close < 0) throw new Error(`unclosed ' in: ${src}`);
      lit(src.slice(i + 1, close));
      i = close + 1;
    } else if (ch === '"') {
      word ??= [];
      i++;
      for (;;) {
        const c = src[i];
        if (c === undefined) throw new Error(`unclosed " in: ${src}`);
        if (c === '"') break;
        if (c === "`") throw new Error(`backticks are not supported: ${src}`);
        if (c === "\\" && /["\\$`]/.test(src[i + 1] ?? "")) {
          lit(src[i + 1] ?? "");
          i += 2;
        } else if (c === "$") {
          const [part, next] = dollar(src, i);
          word.push(part);
          i = next;
        } else {
          lit(c);
          i++;
        }
      }
      i++;
    } else if (ch === "$") {
      const [part, next] = dollar(src, i);
      word ??= [];
      word.push(part);
      i = next;
    } else if (/[;&<>`(){}\\*?[\]~]/.test(ch)) {
      throw new Error(`unsupported shell syntax ${JSON.stringify(ch)} in: ${src}`);
    } else {
      lit(ch);
      i++;
    }
  }
  end();
  return { tokens };
}
