// Server-Timing on every response, through hono's timing middleware. Handlers add their own metrics with
// the helpers re-exported here (e.g. startTime(c, "model") ... endTime(c, "model")); "total" is always there.
import { timing } from "hono/timing";

export { endTime, setMetric, startTime, wrapTime } from "hono/timing";

export const serverTiming = () => timing({ total: true, totalDescription: "total" });
