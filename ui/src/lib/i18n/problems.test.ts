// Every problem pos-core can report has an English and an Arabic text, with the same
// placeholders as the parameters pos-core sends (PROBLEM_PARAMS is generated from pos-core's
// ProblemCode by the ui_bindings test, so a new code in pos-core fails here until translated).
import { describe, expect, it } from 'vitest';
import { PROBLEM_PARAMS, UNTRANSLATED_PARAMS } from '../api/problem-codes';
import type { ProblemCode } from '../api/types';
import { problemsAr } from './problems-ar';
import { problemsEn } from './problems-en';

const placeholders = (text: string): string[] => [...new Set([...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? ''))].sort();

describe('problem texts', () => {
  const codes = Object.keys(PROBLEM_PARAMS) as ProblemCode[];

  it('pos-core reports many problems, each listed once', () => {
    expect(codes.length).toBeGreaterThan(100);
    expect(new Set(codes).size).toBe(codes.length);
  });

  for (const [lang, texts] of [['en', problemsEn], ['ar', problemsAr]] as const) {
    it(`${lang}: every code has a text and no text is for a code pos-core does not have`, () => {
      const missing = codes.filter((code) => !(texts[code] ?? '').trim());
      expect(missing, `no ${lang} text for`).toEqual([]);
      expect(Object.keys(texts).sort()).toEqual([...codes].sort());
    });

    it(`${lang}: placeholders are parameters pos-core sends, never the words shown beneath`, () => {
      for (const code of codes) {
        const allowed = PROBLEM_PARAMS[code].filter((p) => !UNTRANSLATED_PARAMS.includes(p));
        for (const name of placeholders(texts[code])) expect(allowed, `${lang} ${code} {${name}}`).toContain(name);
      }
    });
  }

  it('English and Arabic use the same placeholders', () => {
    for (const code of codes) expect(placeholders(problemsAr[code]), code).toEqual(placeholders(problemsEn[code]));
  });

  it('a text keeps every parameter that says which or how much (limits, examples, states)', () => {
    const quantities = ['max', 'decimals', 'example', 'currency', 'state', 'role', 'action', 'operation', 'time'];
    for (const code of codes) {
      const wanted = PROBLEM_PARAMS[code].filter((p) => quantities.includes(p)).sort();
      expect(placeholders(problemsEn[code]).filter((p) => quantities.includes(p)), code).toEqual(wanted);
    }
  });

  it('Arabic texts are Arabic', () => {
    for (const code of codes) expect(problemsAr[code], code).toMatch(/[\u0600-\u06ff]/);
  });
});
