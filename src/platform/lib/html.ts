/** Text for an HTML page or attribute: the five characters that could open markup, as entities. */
export const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

/**
 * A whole page the gateway serves itself: not indexed, no referrer leaves it, `head` adds its own
 * styles (already markup), `main` is its content (already markup, escaped by the caller).
 */
export function htmlDocument(page: { title: string; head: string; main: string }): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta name="robots" content="noindex, nofollow">
<title>${escapeHtml(page.title)}</title>
${page.head}
</head>
<body>
<main>
${page.main}
</main>
</body>
</html>
`;
}
