// performance.now() marks read by the benchmarks and e2e tests through window.__ottuPosMetrics.

declare global {
  interface Window {
    __ottuPosMetrics?: Record<string, number>;
  }
}

export function mark(name: string): void {
  if (typeof window === 'undefined') return;
  const metrics = (window.__ottuPosMetrics ??= {});
  metrics[name] = performance.now();
}

/** Mark after `frames` animation frames, i.e. once what was just put in the DOM has been painted. */
export function markAfterFrames(name: string, frames = 2): void {
  if (typeof requestAnimationFrame === 'undefined') return mark(name);
  const step = (left: number) => {
    if (left === 0) mark(name);
    else requestAnimationFrame(() => step(left - 1));
  };
  step(frames);
}
