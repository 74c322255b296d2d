import { staticUrl } from "../static.ts";
import { escapeHtml } from "./html.ts";

/**
 * Wraps page content in the site's HTML document with its header. The page
 * follows the reader's light or dark preference, charts included, and loads
 * its script from static/ because the Content-Security-Policy allows no
 * inline scripts. With `eventsUrl`, the page follows that event stream and
 * reloads its content when the data set changes.
 */
export function pageLayout(
  title: string,
  body: string,
  options: { refreshSeconds?: number; eventsUrl?: string } = {},
): string {
  const refresh = options.refreshSeconds
    ? `<meta http-equiv="refresh" content="${options.refreshSeconds}">`
    : "";
  return `<!doctype html>
<html lang="en" class="theme-auto">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
${refresh}<title>${escapeHtml(title)} · clusterscope</title>
<link rel="stylesheet" href="${staticUrl("style.css")}">
<script src="${staticUrl("copy.js")}" defer></script>
${
    options.eventsUrl
      ? `<script src="${staticUrl("live.js")}" defer></script>
`
      : ""
  }
</head>
<body>
<header class="site"><a href="/" class="brand">clusterscope</a></header>
${
    options.eventsUrl
      ? `<main data-events="${escapeHtml(options.eventsUrl)}">`
      : "<main>"
  }
${body}
</main>
</body>
</html>
`;
}
