import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { PageFrame } from "./layout";

/** What a page needs of an API answer to report it: its status and, when refused, its error. */
interface Answered {
  status: number;
  error?: { code: number; message: string } | undefined;
}

export type Flash = NonNullable<PageFrame["flash"]>;

/** An API refusal as the page shows it: the message and its documented code. */
export const refusalText = (error: { code: number; message: string }) =>
  `${error.message} (code ${error.code})`;

/** An API answer as the page's notice: what was done, or the refusal with its code. */
export function flashOf(answer: Answered, done: string): Flash {
  if (answer.error) return { kind: "error", text: refusalText(answer.error) };
  if (answer.status >= 400) return { kind: "error", text: `HTTP ${answer.status}` };
  return { kind: "ok", text: done };
}

/** The page's own status after an API call: the API's refusal status, or 200. */
export const statusOf = (answer: { status: number }) =>
  (answer.status >= 400 ? answer.status : 200) as ContentfulStatusCode;
