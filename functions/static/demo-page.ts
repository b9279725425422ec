// The demo page at GET /: what the service is, the widget embedded exactly as a job board would embed it
// (versioned script, SRI hash, crossorigin), the snippet to copy, and where the API is described.
import { WIDGET_SCRIPT_PATH } from "../../core/widget-asset.ts";

/** The page's only stylesheet: its CSP allows this one inline style by hash, and nothing else inline. */
export const DEMO_PAGE_CSS = `
body{margin:0;font:1rem/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2328;background:#f6f8fa}
header,main,footer{max-width:46rem;margin:0 auto;padding:0 1rem}
header{padding-top:2rem}
h1{font-size:1.8rem;margin:0 0 .5rem}
h2{font-size:1.2rem;margin:2rem 0 .75rem}
a{color:#0550ae}
a:focus-visible{outline:3px solid #0550ae;outline-offset:2px}
pre{overflow:auto;background:#fff;border:1px solid #d1d9e0;border-radius:6px;padding:.75rem;font-size:.85rem}
footer{margin:3rem auto 2rem;color:#59636e;font-size:.875rem}
`;

const escapeHtml = (s: string): string =>
  s.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;");

export function renderDemoPage(opts: { origin: string; integrity: string }): string {
  const src = escapeHtml(opts.origin + WIDGET_SCRIPT_PATH);
  const integrity = escapeHtml(opts.integrity);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>labor-llm-edge: where do people go from here?</title>
<link rel="icon" href="data:,">
<meta name="description" content="Next-occupation prediction from a work history, answered at the edge by a small language model.">
<style>${DEMO_PAGE_CSS}</style>
<script type="module" src="${WIDGET_SCRIPT_PATH}" integrity="${integrity}" crossorigin="anonymous"></script>
</head>
<body>
<header>
<h1>Where do people go from here?</h1>
<p>labor-llm-edge predicts a worker's next occupation from the jobs they have held. Following LABOR-LLM
(Du, Kanodia, Brunborg, Vafa, Athey; arXiv 2406.17972), careers are written as short resume-like texts and a
language model trained on survey panels says what comes next. A small distilled model answers inside a
Cloudflare Worker; hard questions can go to a large model at the origin.</p>
</header>
<main>
<h2 id="try">Try it</h2>
<career-next-steps role="region" aria-labelledby="try"></career-next-steps>
<h2 id="embed">Embed it on your site</h2>
<p>One script (no dependencies, pinned by its Subresource Integrity hash) and one element:</p>
<pre><code>&lt;script type="module" src="${src}"
        integrity="${integrity}" crossorigin="anonymous"&gt;&lt;/script&gt;
&lt;career-next-steps results="5"&gt;&lt;/career-next-steps&gt;</code></pre>
<p>Attributes: <code>api-base</code>, <code>api-key</code>, <code>model</code>, <code>results</code>,
<code>max-jobs</code>, <code>timeout</code>; colours and fonts through CSS custom properties such as
<code>--cns-accent</code>, <code>--cns-font</code> and <code>--cns-bg</code>
(<a href="${escapeHtml(opts.origin)}/widget/v1/integrity.json">integrity.json</a> has the current hash).</p>
<h2 id="api">The API</h2>
<ul>
<li><a href="/docs">API reference</a> and its <a href="/openapi.json">OpenAPI document</a></li>
<li><a href="/v1/models">/v1/models</a>: the models served here, their data and metrics</li>
<li><a href="/health">/health</a>: liveness and the models loaded in this isolate</li>
</ul>
</main>
<footer>labor-llm-edge: next-occupation prediction at the edge.</footer>
</body>
</html>
`;
}
