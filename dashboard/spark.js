// Inline SVG sparklines: one polyline per series, broken where a bucket had no attempt.
import { svg } from './dom.js';

const WIDTH = 120;
const HEIGHT = 28;

/**
 * `lines`: [{ values: (number|null)[], className }]; `max`: the top of the scale (default: the
 * largest value). `label` is read out instead of the drawing.
 */
export function sparkline(lines, { max, label }) {
  const all = lines.flatMap((l) => l.values).filter((v) => v !== null);
  const top = max ?? Math.max(1, ...all);
  const node = svg('svg', {
    class: 'spark',
    viewBox: `0 0 ${WIDTH} ${HEIGHT}`,
    width: WIDTH,
    height: HEIGHT,
    role: 'img',
    'aria-label': label,
    preserveAspectRatio: 'none',
  });
  node.append(svg('line', { class: 'spark-base', x1: 0, y1: HEIGHT - 0.5, x2: WIDTH, y2: HEIGHT - 0.5 }));
  for (const line of lines) {
    const n = line.values.length;
    const step = n > 1 ? WIDTH / (n - 1) : WIDTH;
    let run = [];
    const flush = () => {
      if (run.length === 1) {
        const [x, y] = run[0];
        node.append(svg('circle', { class: line.className, cx: x, cy: y, r: 1.5 }));
      } else if (run.length > 1) {
        node.append(
          svg('polyline', { class: line.className, points: run.map((p) => p.join(',')).join(' ') }),
        );
      }
      run = [];
    };
    for (const [i, v] of line.values.entries()) {
      if (v === null) {
        flush();
        continue;
      }
      const y = HEIGHT - 2 - (Math.min(v, top) / top) * (HEIGHT - 4);
      run.push([Math.round(i * step * 10) / 10, Math.round(y * 10) / 10]);
    }
    flush();
  }
  return node;
}
