import { tokenize } from "./shell";

// curl command lines as the requests they send: README.md's demo flow and the code samples of the
// OpenAPI document (x-codeSamples) are read with this.

export interface CurlCall {
  url: string;
  /** `--data-binary @file`: the file whose bytes are the body. */
  file?: string;
  init: { method: string; headers: Record<string, string>; body?: string };
}

/** curl's flags, as far as README.md and the code samples use them; any other flag throws. */
export function curlRequest(args: string[]): CurlCall {
  const headers: Record<string, string> = { "User-Agent": "curl/8.5.0", Accept: "*/*" };
  const data: string[] = [];
  let method: string | undefined;
  let url: string | undefined;
  let file: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const flag = args[i] ?? "";
    const value = () => {
      const v = args[++i];
      if (v === undefined) throw new Error(`curl ${flag} needs a value`);
      return v;
    };
    if (flag === "-u") headers.Authorization = `Basic ${btoa(value())}`;
    else if (flag === "-H") {
      const [name, ...rest] = value().split(":");
      if (!name || rest.length === 0) throw new Error(`curl -H without a header: ${args.join(" ")}`);
      headers[name.trim()] = rest.join(":").trim();
    } else if (flag === "-d") {
      const d = value();
      if (d.startsWith("@")) throw new Error("curl -d @file is not supported");
      data.push(d);
    } else if (flag === "--data-binary") {
      const d = value();
      if (!d.startsWith("@")) throw new Error("curl --data-binary without @file is not supported");
      file = d.slice(1);
    } else if (flag === "-X") method = value();
    else if (/^-[siS]+$/.test(flag)) {
      // -s (silent), -S (errors even so) and -i (the answer's headers) change the output, not the request.
    } else if (flag.startsWith("-")) throw new Error(`unsupported curl flag ${flag}`);
    else if (url !== undefined) throw new Error(`curl with two URLs: ${url} ${flag}`);
    else url = flag;
  }
  if (url === undefined) throw new Error(`curl without a URL: ${args.join(" ")}`);
  // As curl does: -d means POST, joined with &, form-encoded unless a Content-Type is given.
  const typed = Object.keys(headers).some((h) => h.toLowerCase() === "content-type");
  if (data.length > 0 && !typed) headers["Content-Type"] = "application/x-www-form-urlencoded";
  const sends = data.length > 0 || file !== undefined;
  return {
    url,
    ...(file === undefined ? {} : { file }),
    init: {
      method: method ?? (sends ? "POST" : "GET"),
      headers,
      ...(data.length > 0 ? { body: data.join("&") } : {}),
    },
  };
}

/**
 * The words of one curl command written over several lines (`\`-continued), each `$VAR` and `$(…)`
 * replaced from `vars` and `substitutions`; an unknown one throws.
 */
export function commandWords(
  source: string,
  vars: Record<string, string>,
  substitutions: Record<string, () => string> = {},
): string[] {
  const { tokens, comment } = tokenize(source.replace(/\\\n/g, " "));
  if (comment !== undefined) throw new Error(`a comment in: ${source}`);
  return tokens.map((token) => {
    if (!("word" in token)) throw new Error(`a pipe in: ${source}`);
    return token.word
      .map((part) => {
        if ("lit" in part) return part.lit;
        const value = "var" in part ? vars[part.var] : substitutions[part.sub]?.();
        if (value === undefined) throw new Error(`nothing for ${JSON.stringify(part)} in: ${source}`);
        return value;
      })
      .join("");
  });
}
