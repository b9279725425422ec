// The raw bytes of the models bundled into the Worker. wrangler.toml's [[rules]] make every
// model/**/*.json and model/**/*.onnx a "Data" module (an ArrayBuffer of the file's exact bytes, not parsed
// JSON), in `wrangler dev`, `wrangler deploy` and the vitest Workers pool alike, so that the sha256 in each
// manifest can be checked before use. Only what the edge runs is bundled: the large model stays with the
// origin. Plain JavaScript with a .d.ts beside it: TypeScript would type these imports as parsed JSON.
// test/unit/shipped-models.test.ts keeps this list in step with model/.
import nlsworkManifest from "../../model/nlswork/manifest.json";
import nlsworkLabels from "../../model/nlswork/labels.json";
import nlsworkPredictor from "../../model/nlswork/predictor.json";
import nlsworkTokenizer from "../../model/nlswork/tokenizer.json";
import nlsworkSmall from "../../model/nlswork/small.onnx";
import nlsworkSeen from "../../model/nlswork/seen-tokens.json";
import syntheticManifest from "../../model/synthetic/manifest.json";
import syntheticLabels from "../../model/synthetic/labels.json";
import syntheticPredictor from "../../model/synthetic/predictor.json";
import syntheticTokenizer from "../../model/synthetic/tokenizer.json";
import syntheticSmall from "../../model/synthetic/small.onnx";
import syntheticSeen from "../../model/synthetic/seen-tokens.json";
import titleIndex from "../../model/titles/titles.json";

export const SHIPPED_MODELS = {
  nlswork: {
    "manifest.json": nlsworkManifest,
    "labels.json": nlsworkLabels,
    "predictor.json": nlsworkPredictor,
    "tokenizer.json": nlsworkTokenizer,
    "small.onnx": nlsworkSmall,
    "seen-tokens.json": nlsworkSeen,
  },
  // 344 labels (occ1990dd and the special states): the edge at the scale of a full occupation taxonomy.
  synthetic: {
    "manifest.json": syntheticManifest,
    "labels.json": syntheticLabels,
    "predictor.json": syntheticPredictor,
    "tokenizer.json": syntheticTokenizer,
    "small.onnx": syntheticSmall,
    "seen-tokens.json": syntheticSeen,
  },
};

/** The title autocoder's index (core/titles, built by `npm run build:titles`). */
export const SHIPPED_TITLE_INDEX = titleIndex;
