// Reliability diagram (top-1 confidence vs accuracy, one line per model) as a standalone SVG image.
import type { ReliabilityBin } from "./metrics.ts";

const COLORS = ["#1b6ca8", "#d1495b", "#edae49", "#00798c", "#66a182", "#8d5fd3", "#30343f", "#e07a5f"];

export function calibrationSvg(title: string, series: { name: string; bins: ReliabilityBin[] }[]): string {
  const size = 420, pad = 50, plot = size - 2 * pad;
  const x = (v: number) => (pad + v * plot).toFixed(1);
  const y = (v: number) => (size - pad - v * plot).toFixed(1);
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${size + 190}" height="${size}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${size / 2}" y="22" text-anchor="middle" font-size="14">${escapeXml(title)}</text>`,
    `<rect x="${pad}" y="${pad}" width="${plot}" height="${plot}" fill="none" stroke="#999"/>`,
    `<line x1="${x(0)}" y1="${y(0)}" x2="${x(1)}" y2="${y(1)}" stroke="#bbb" stroke-dasharray="4 4"/>`,
    `<text x="${size / 2}" y="${size - 12}" text-anchor="middle">top-1 confidence</text>`,
    `<text x="14" y="${size / 2}" text-anchor="middle" transform="rotate(-90 14 ${size / 2})">accuracy</text>`,
  ];
  for (const t of [0, 0.25, 0.5, 0.75, 1]) {
    parts.push(`<text x="${x(t)}" y="${size - pad + 16}" text-anchor="middle">${t}</text>`);
    parts.push(`<text x="${pad - 6}" y="${Number(y(t)) + 4}" text-anchor="end">${t}</text>`);
  }
  series.forEach((s, i) => {
    const color = COLORS[i % COLORS.length];
    const points = s.bins.filter((b) => b.count > 0).map((b) => `${x(b.confidence)},${y(b.accuracy)}`);
    parts.push(`<polyline points="${points.join(" ")}" fill="none" stroke="${color}" stroke-width="2"/>`);
    for (const p of points) parts.push(`<circle cx="${p.split(",")[0]}" cy="${p.split(",")[1]}" r="2.5" fill="${color}"/>`);
    parts.push(`<rect x="${size}" y="${pad + i * 20 - 9}" width="12" height="12" fill="${color}"/>`);
    parts.push(`<text x="${size + 18}" y="${pad + i * 20 + 1}">${escapeXml(s.name)}</text>`);
  });
  parts.push("</svg>");
  return parts.join("\n") + "\n";
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"]/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;" })[c]!);
}
