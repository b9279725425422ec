// The raw bytes of the models bundled into the Worker. wrangler.toml's [[rules]] make every
// model/**/*.json a "Data" module (an ArrayBuffer of the file's exact bytes, not parsed JSON), in
// `wrangler dev`, `wrangler deploy` and the vitest Workers pool alike, so that the sha256 in each manifest
// can be checked before use. Plain JavaScript with a .d.ts beside it: TypeScript would type these imports
// as parsed JSON.
import nlsworkManifest from "../../model/nlswork/manifest.json";
import nlsworkLabels from "../../model/nlswork/labels.json";
import nlsworkPredictor from "../../model/nlswork/predictor.json";

export const SHIPPED_MODELS = {
  nlswork: {
    "manifest.json": nlsworkManifest,
    "labels.json": nlsworkLabels,
    "predictor.json": nlsworkPredictor,
  },
};
