// A panel's interview calendar: the years at which it observes people, when they are unevenly spaced (NLSY79
// interviewed yearly to 1994, then every second year). A model built on it defaults the predicted year to the
// next interview year (core/predict-response.ts nextYearOf).
import type { Panel } from "./types.ts";

/** Years observed for at least this share of the busiest year's people count as interview years (a stray
 *  year of a few people does not). */
const MIN_SHARE = 0.01;

/** The interview years, ascending, or undefined when the steps between them are all equal. */
export function interviewYears(panel: Pick<Panel, "careers">): number[] | undefined {
  const counts = new Map<number, number>();
  for (const c of panel.careers) for (const h of c.history) counts.set(h.year, (counts.get(h.year) ?? 0) + 1);
  const busiest = Math.max(0, ...counts.values());
  const years = [...counts].filter(([, n]) => n >= MIN_SHARE * busiest).map(([y]) => y).sort((a, b) => a - b);
  const gaps = new Set(years.slice(1).map((y, i) => y - years[i]!));
  return gaps.size > 1 ? years : undefined;
}
