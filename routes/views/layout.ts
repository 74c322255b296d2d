import { staticUrl } from "../static.ts";
import { escapeHtml } from "./html.ts";

/** Wraps page content in the site's HTML document with its header. */
export function pageLayout(
  title: string,
  body: string,
  options: { refreshSeconds?: number } = {},
): string {
  const refresh = options.refreshSeconds
    ? `<meta http-equiv="refresh" content="${options.refreshSeconds}">`
    : "";
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
${refresh}<title>${escapeHtml(title)} · clusterscope</title>
<link rel="stylesheet" href="${staticUrl("style.css")}">
</head>
<body>
<header class="site"><a href="/" class="brand">clusterscope</a></header>
<main>
${body}
</main>
</body>
</html>
`;
}
