// Worker entry point: the edge API over the models bundled with it.
import { createApp } from "./app.ts";
import { createModelRegistry } from "./models/registry.ts";
import { SHIPPED_MODELS } from "./models/shipped.js";

export default createApp(createModelRegistry(SHIPPED_MODELS));
