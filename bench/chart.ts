/**
 * A log-log line chart as standalone SVG, written by hand: gas per certificate against batch size. Pure (no I/O),
 * deterministic (same numbers, same bytes), no charting package.
 */

export interface ChartSeries {
  label: string;
  colour: string;
  /** Peers are drawn dashed, GovChain solid. */
  dashed: boolean;
  /** [batch size, gas per certificate]; both positive. */
  points: [number, number][];
}

const WIDTH = 860;
const HEIGHT = 520;
const MARGIN = { left: 84, right: 260, top: 48, bottom: 64 };
const PLOT_W = WIDTH - MARGIN.left - MARGIN.right;
const PLOT_H = HEIGHT - MARGIN.top - MARGIN.bottom;

function escape(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** 10^k as a short label: 1, 10, 100, 1k, 10k, 100k, 1M. */
function powerLabel(exponent: number): string {
  const value = 10 ** exponent;
  if (value >= 1e6) return `${value / 1e6}M`;
  if (value >= 1e3) return `${value / 1e3}k`;
  return value >= 1 ? String(value) : value.toString();
}

function round(value: number): string {
  return (Math.round(value * 10) / 10).toString();
}

export function batchGasChart(title: string, series: ChartSeries[]): string {
  const xs = series.flatMap((s) => s.points.map(([x]) => x));
  const ys = series.flatMap((s) => s.points.map(([, y]) => y));
  const xMin = Math.floor(Math.log10(Math.min(...xs)));
  const xMax = Math.ceil(Math.log10(Math.max(...xs)));
  const yMin = Math.floor(Math.log10(Math.min(...ys)));
  const yMax = Math.ceil(Math.log10(Math.max(...ys)));
  const x = (value: number) => MARGIN.left + ((Math.log10(value) - xMin) / (xMax - xMin || 1)) * PLOT_W;
  const y = (value: number) => MARGIN.top + PLOT_H - ((Math.log10(value) - yMin) / (yMax - yMin || 1)) * PLOT_H;

  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="Helvetica, Arial, sans-serif" font-size="12">`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`,
    `<text x="${MARGIN.left}" y="26" font-size="16" font-weight="bold">${escape(title)}</text>`,
  ];
  for (let k = xMin; k <= xMax; k++) {
    const px = round(x(10 ** k));
    out.push(`<line x1="${px}" y1="${MARGIN.top}" x2="${px}" y2="${MARGIN.top + PLOT_H}" stroke="#e3e3e3"/>`);
    out.push(`<text x="${px}" y="${MARGIN.top + PLOT_H + 18}" text-anchor="middle">${powerLabel(k)}</text>`);
  }
  for (let k = yMin; k <= yMax; k++) {
    const py = round(y(10 ** k));
    out.push(`<line x1="${MARGIN.left}" y1="${py}" x2="${MARGIN.left + PLOT_W}" y2="${py}" stroke="#e3e3e3"/>`);
    out.push(`<text x="${MARGIN.left - 8}" y="${py}" dy="4" text-anchor="end">${powerLabel(k)}</text>`);
  }
  out.push(
    `<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${PLOT_W}" height="${PLOT_H}" fill="none" stroke="#555"/>`,
    `<text x="${MARGIN.left + PLOT_W / 2}" y="${HEIGHT - 20}" text-anchor="middle">certificates per transaction (log scale)</text>`,
    `<text transform="translate(22 ${MARGIN.top + PLOT_H / 2}) rotate(-90)" text-anchor="middle">gas per certificate (log scale)</text>`,
  );

  series.forEach((s, index) => {
    const path = s.points.map(([px, py]) => `${round(x(px))},${round(y(py))}`).join(" ");
    const dash = s.dashed ? ` stroke-dasharray="6 4"` : "";
    out.push(`<polyline points="${path}" fill="none" stroke="${s.colour}" stroke-width="2"${dash}/>`);
    for (const [px, py] of s.points) {
      out.push(
        `<circle cx="${round(x(px))}" cy="${round(y(py))}" r="3.5" fill="${s.colour}"><title>${escape(
          `${s.label}: ${px.toLocaleString("en-US")} per transaction, ${Math.round(py).toLocaleString("en-US")} gas each`,
        )}</title></circle>`,
      );
    }
    const ly = MARGIN.top + 12 + index * 22;
    const lx = MARGIN.left + PLOT_W + 16;
    out.push(`<line x1="${lx}" y1="${ly}" x2="${lx + 28}" y2="${ly}" stroke="${s.colour}" stroke-width="2"${dash}/>`);
    out.push(`<text x="${lx + 36}" y="${ly}" dy="4">${escape(s.label)}</text>`);
  });
  out.push("</svg>");
  return out.join("\n") + "\n";
}
