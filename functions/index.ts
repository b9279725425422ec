// Worker entry point: the edge API over the models bundled with it.
import { createApp } from "./app.ts";
import { edgeModelRegistry } from "./models/edge-model.ts";
import { SHIPPED_MODELS } from "./models/shipped.js";

export default createApp(edgeModelRegistry(SHIPPED_MODELS));
