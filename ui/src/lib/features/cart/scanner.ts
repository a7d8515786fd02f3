// Telling a keyboard-wedge barcode scanner from a person typing. A scanner "types" the code as a
// burst of key presses a few milliseconds apart and ends it with Enter; a person's keys are rarely
// less than ~80 ms apart. The detector only watches timestamps (KeyboardEvent.timeStamp): the page
// lets each key through as usual and, when the Enter that ends a scan arrives, the screen swallows
// that Enter and takes back what the burst typed (see `startsBurst`), so a scan never becomes a
// typed amount or creates a sale.

export interface ScanOptions {
  /** The longest gap between two keys of a scan, Enter included (ms). */
  maxGapMs: number;
  /** The fewest characters a scanned code has. */
  minLength: number;
}

/** Scanners send keys 1–20 ms apart; 35 ms leaves room for a busy page and stays far below typing. */
export const DEFAULT_SCAN_OPTIONS: ScanOptions = { maxGapMs: 35, minLength: 4 };

export type KeyVerdict =
  /** This Enter ends a scan of `code`: swallow it and undo what the burst typed. */
  | { kind: 'scan'; code: string }
  /**
   * An ordinary key. `startsBurst`: this printable key begins a new burst, which may turn out to
   * be a scan: the screen notes what its fields held before it, to put back if so.
   */
  | { kind: 'key'; startsBurst: boolean };

export class ScanDetector {
  private readonly options: ScanOptions;
  private chars = '';
  private lastAt = Number.NEGATIVE_INFINITY;

  constructor(options: Partial<ScanOptions> = {}) {
    this.options = { ...DEFAULT_SCAN_OPTIONS, ...options };
  }

  /** One keydown: its `key` and `timeStamp` (ms, any monotonic clock). */
  feed(key: string, at: number): KeyVerdict {
    const gap = at - this.lastAt;
    const quick = gap >= 0 && gap <= this.options.maxGapMs;
    this.lastAt = at;
    if (key === 'Enter') {
      const code = this.chars;
      this.chars = '';
      this.lastAt = Number.NEGATIVE_INFINITY;
      if (quick && code.length >= this.options.minLength) return { kind: 'scan', code };
      return { kind: 'key', startsBurst: false };
    }
    if (key.length !== 1) {
      // Shift, arrows, Backspace…: a scanner sends none of these inside a code.
      this.reset();
      return { kind: 'key', startsBurst: false };
    }
    if (quick && this.chars !== '') {
      this.chars += key;
      return { kind: 'key', startsBurst: false };
    }
    this.chars = key;
    return { kind: 'key', startsBurst: true };
  }

  /** Forget the burst (the screen changed, a field lost focus). */
  reset(): void {
    this.chars = '';
    this.lastAt = Number.NEGATIVE_INFINITY;
  }
}
