// The Worker under test: functions/index.ts's app over every model folder (functions/models/all.js), where
// a deployment serves only the models of functions/models/shipped.js. wrangler.toml's bindings and module
// rules apply as in `wrangler dev` (vitest.config.ts).
import { createApp } from "../../functions/app.ts";
import { ALL_MODELS } from "../../functions/models/all.js";
import { edgeModelRegistry } from "../../functions/models/edge-model.ts";

export default createApp(edgeModelRegistry(ALL_MODELS));
