// The widget's source, bundled as text: wrangler.toml's [[rules]] make widget/**/*.js a "Text" module (a
// string of the file, not code run in the Worker), in `wrangler dev`, `wrangler deploy` and the vitest
// Workers pool alike. Plain JavaScript with a .d.ts beside it, as in functions/models/shipped.js. Not
// under a folder named widget/: the rule would make this file text too.
import source from "../../widget/career-next-steps.js";

export const WIDGET_SOURCE = source;
