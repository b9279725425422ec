// The benchmark chart (docs/bench/chart.svg), drawn from one `npm run bench` run: horizontal bar panels,
// plain SVG with no dependency (GitHub renders it in BENCHMARKS.md).
import type { BenchResults, Target } from "./report.ts";

interface Bar {
  value: number;
  color: string;
  text: string;
}
interface Row {
  label: string;
  bars: Bar[];
}
interface Panel {
  title: string;
  rows: Row[];
  /** Where the scale ends (bars past it are cut, their text says the value). */
  max: number;
  /** A vertical reference line, e.g. 100% of a target. */
  reference?: { value: number; text: string };
  legend?: { color: string; text: string }[];
}

const WIDTH = 900;
const LABEL_WIDTH = 300;
const BAR_HEIGHT = 14;
const ROW_GAP = 8;
const PLOT_WIDTH = WIDTH - LABEL_WIDTH - 270; // room for each bar's text
const COLORS = { ok: "#2e7d32", miss: "#c62828", edge: "#1565c0", floor: "#9e9e9e", native: "#ef6c00", native1: "#ffb74d" };

const escape = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

function drawPanel(panel: Panel, top: number): { svg: string[]; height: number } {
  const out: string[] = [`<text x="10" y="${top + 16}" font-size="15" font-weight="bold">${escape(panel.title)}</text>`];
  let y = top + 30;
  if (panel.legend) {
    let x = LABEL_WIDTH;
    for (const l of panel.legend) {
      out.push(`<rect x="${x}" y="${y - 10}" width="12" height="12" fill="${l.color}"/><text x="${x + 16}" y="${y}" font-size="12">${escape(l.text)}</text>`);
      x += 24 + l.text.length * 6.5;
    }
    y += 12;
  }
  const scale = (v: number) => (Math.min(v, panel.max) / panel.max) * PLOT_WIDTH;
  const plotTop = y;
  for (const row of panel.rows) {
    const rowHeight = row.bars.length * BAR_HEIGHT;
    out.push(`<text x="${LABEL_WIDTH - 8}" y="${y + rowHeight / 2 + 4}" font-size="12" text-anchor="end">${escape(row.label)}</text>`);
    for (const bar of row.bars) {
      const w = Math.max(1, scale(bar.value));
      out.push(`<rect x="${LABEL_WIDTH}" y="${y}" width="${w.toFixed(1)}" height="${BAR_HEIGHT - 2}" fill="${bar.color}"/>`);
      out.push(`<text x="${LABEL_WIDTH + w + 4}" y="${y + BAR_HEIGHT - 4}" font-size="11">${escape(bar.text)}${bar.value > panel.max ? " (cut)" : ""}</text>`);
      y += BAR_HEIGHT;
    }
    y += ROW_GAP;
  }
  if (panel.reference) {
    const x = LABEL_WIDTH + scale(panel.reference.value);
    out.push(`<line x1="${x}" y1="${plotTop - 4}" x2="${x}" y2="${y - ROW_GAP + 2}" stroke="#000" stroke-dasharray="4 3"/>`);
    out.push(`<text x="${x + 3}" y="${y + 8}" font-size="11">${escape(panel.reference.text)}</text>`);
    y += 12;
  }
  return { svg: out, height: y - top + 10 };
}

export function benchChart(b: BenchResults, targets: Target[]): string {
  const panels: Panel[] = [
    {
      title: "Targets: share of each budget used (under the dashed line is met)",
      rows: targets.map((t) => ({ label: `${t.what.split(" (")[0]!.slice(0, 52)}`, bars: [{ value: t.load * 100, color: t.load <= 1 ? COLORS.ok : COLORS.miss, text: `${t.measured} (goal ${t.target})` }] })),
      max: 300,
      reference: { value: 100, text: "100% of the target" },
    },
    {
      title: "HTTP mean latency on wrangler dev (autocannon), ms",
      rows: b.http.levels.map((l) => ({
        label: `concurrency ${l.connections}`,
        bars: [
          { value: l.predict.mean_ms, color: COLORS.edge, text: `POST /v1/predict ${l.predict.mean_ms.toFixed(1)} ms, ${l.predict.rps.toFixed(0)} req/s` },
          { value: l.health.mean_ms, color: COLORS.floor, text: `GET /health ${l.health.mean_ms.toFixed(1)} ms, ${l.health.rps.toFixed(0)} req/s` },
        ],
      })),
      max: Math.max(...b.http.levels.map((l) => l.predict.mean_ms)) * 1.05,
      legend: [
        { color: COLORS.edge, text: "POST /v1/predict" },
        { color: COLORS.floor, text: "GET /health (floor)" },
      ],
    },
    {
      title: "Small model, warm run, p50 ms: wasm (the edge) against native",
      rows: b.small_model.rows.map((r) => ({
        label: `${r.file.split("/").at(-2)} ${r.prompt}`,
        bars: [
          { value: r.web_p50_ms, color: COLORS.edge, text: `onnxruntime-web ${r.web_p50_ms.toFixed(3)}` },
          { value: r.node1_p50_ms, color: COLORS.native1, text: `native, 1 thread ${r.node1_p50_ms.toFixed(3)}` },
          { value: r.node_p50_ms, color: COLORS.native, text: `native, all cores ${r.node_p50_ms.toFixed(3)}` },
        ],
      })),
      max: Math.max(...b.small_model.rows.map((r) => r.web_p50_ms)) * 1.05,
    },
    {
      title: "Warm prediction inside the Worker, p50 ms",
      rows: b.worker.warm.map((w) => ({ label: `${w.model}, ${w.question}`, bars: [{ value: w.p50_ms, color: COLORS.edge, text: `${w.p50_ms.toFixed(2)} ms (p99 ${w.p99_ms.toFixed(2)})` }] })),
      max: Math.max(...b.worker.warm.map((w) => w.p50_ms)) * 1.05,
    },
  ];
  const body: string[] = [];
  let top = 6;
  for (const p of panels) {
    const drawn = drawPanel(p, top);
    body.push(...drawn.svg);
    top += drawn.height + 6;
  }
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${top}" viewBox="0 0 ${WIDTH} ${top}" font-family="DejaVu Sans, Arial, sans-serif">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    ...body,
    `<text x="${WIDTH - 8}" y="${top - 6}" font-size="10" text-anchor="end" fill="#555">npm run bench, ${escape(b.machine.date)}, ${b.machine.cores} cores</text>`,
    "</svg>",
    "",
  ].join("\n");
}
