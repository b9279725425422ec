// What the edge and the large-model origin agree on besides the prediction contract: how the edge proves
// it is the edge. The secret itself is configuration (ORIGIN_SECRET on both sides); the development default
// lets `npm run origin` and `npm run dev` talk to each other with no set-up, and the origin warns when it
// runs with it.
export const ORIGIN_SECRET_HEADER = "x-origin-secret";
export const DEV_ORIGIN_SECRET = "labor-llm-edge-dev-origin";
