import { describe, expect, it } from 'vitest';
import { ScanDetector, type KeyVerdict } from './scanner';

/** Feed `keys` starting at `start`, `gaps[i]` ms before key i (one number: every gap). */
function feedAll(detector: ScanDetector, keys: string[], gaps: number | number[], start = 1000): KeyVerdict[] {
  let at = start;
  return keys.map((key, i) => {
    if (i > 0) at += Array.isArray(gaps) ? (gaps[i] ?? 0) : gaps;
    return detector.feed(key, at);
  });
}

const chars = (code: string) => [...code];

describe('ScanDetector', () => {
  it('a fast burst ending in Enter is a scan of the whole code', () => {
    const d = new ScanDetector();
    const verdicts = feedAll(d, [...chars('6291041500213'), 'Enter'], 8);
    expect(verdicts.at(-1)).toEqual({ kind: 'scan', code: '6291041500213' });
    expect(verdicts[0]).toEqual({ kind: 'key', startsBurst: true });
    expect(verdicts.slice(1, -1).every((v) => v.kind === 'key' && !v.startsBurst)).toBe(true);
  });

  it('gaps right at the limit still scan; one gap over it does not', () => {
    expect(feedAll(new ScanDetector(), [...chars('ABCD'), 'Enter'], 35).at(-1)).toEqual({ kind: 'scan', code: 'ABCD' });
    const slowMiddle = feedAll(new ScanDetector(), [...chars('ABCDEF'), 'Enter'], [0, 10, 10, 36, 10, 10, 10]);
    // The slow gap starts a new burst ("DEF"), which is shorter than four characters.
    expect(slowMiddle[3]).toEqual({ kind: 'key', startsBurst: true });
    expect(slowMiddle.at(-1)).toEqual({ kind: 'key', startsBurst: false });
  });

  it('a person typing an amount and Enter is not a scan', () => {
    const d = new ScanDetector();
    const verdicts = feedAll(d, [...chars('12.500'), 'Enter'], [0, 140, 95, 180, 120, 110, 300]);
    expect(verdicts.some((v) => v.kind === 'scan')).toBe(false);
  });

  it('a fast burst whose Enter comes late is not a scan', () => {
    const gaps = [0, 5, 5, 5, 5, 5, 400];
    expect(feedAll(new ScanDetector(), [...chars('123456'), 'Enter'], gaps).at(-1)).toEqual({ kind: 'key', startsBurst: false });
  });

  it('a fast burst without Enter is not a scan, and a later Enter does not make it one', () => {
    const d = new ScanDetector();
    const verdicts = feedAll(d, chars('99887766'), 6);
    expect(verdicts.every((v) => v.kind === 'key')).toBe(true);
    expect(d.feed('Enter', 1000 + 7 * 6 + 2000)).toEqual({ kind: 'key', startsBurst: false });
  });

  it('too short a burst is not a scan', () => {
    expect(feedAll(new ScanDetector(), [...chars('123'), 'Enter'], 5).at(-1)).toEqual({ kind: 'key', startsBurst: false });
  });

  it('a non-character key breaks the burst', () => {
    const verdicts = feedAll(new ScanDetector(), ['1', '2', 'Backspace', '3', '4', 'Enter'], 5);
    expect(verdicts.at(-1)).toEqual({ kind: 'key', startsBurst: false });
  });

  it('two scans in a row each give their own code', () => {
    const d = new ScanDetector();
    expect(feedAll(d, [...chars('AAAA1'), 'Enter'], 4, 0).at(-1)).toEqual({ kind: 'scan', code: 'AAAA1' });
    expect(feedAll(d, [...chars('BBBB2'), 'Enter'], 4, 500).at(-1)).toEqual({ kind: 'scan', code: 'BBBB2' });
  });

  it('typing slowly right after a scan starts afresh', () => {
    const d = new ScanDetector({ maxGapMs: 20, minLength: 2 });
    expect(feedAll(d, [...chars('XY'), 'Enter'], 3, 0).at(-1)).toEqual({ kind: 'scan', code: 'XY' });
    expect(feedAll(d, [...chars('12'), 'Enter'], 150, 100).at(-1)).toEqual({ kind: 'key', startsBurst: false });
  });
});
