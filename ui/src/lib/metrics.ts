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

/**
 * Mark once the next frame has been painted: a task queued from that frame's animation callback
 * runs after the frame's style, layout and paint (the "rAF + message" technique). Closer to the
 * paint than `markAfterFrames`, whose second callback comes a whole frame (~16.7 ms) later.
 */
export function markAfterPaint(name: string): void {
  if (typeof requestAnimationFrame === 'undefined' || typeof MessageChannel === 'undefined') return mark(name);
  requestAnimationFrame(() => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      mark(name);
      channel.port1.close();
    };
    channel.port2.postMessage(null);
  });
}
