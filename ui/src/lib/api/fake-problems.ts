// The fake backend's problems: pos-core's `Problem` (a code, its parameters, the English
// sentence) and the `CommandError`s built from them (error.rs: `invalid_fields`, `invalid_field`).
import type { CommandError, Problem, ProblemCode } from './types';
import { problemsEn } from '../i18n/problems-en';
import { interpolate } from '../i18n/interpolate';

/** Field name → problems (pos-core's `FieldErrors`). */
export type Fields = Record<string, Problem[]>;

/** pos-core's problem: a code with its parameters, and its English sentence. */
export function problem(code: ProblemCode, params: Record<string, string | number> = {}): Problem {
  const texts: Record<string, string> = {};
  for (const [k, v] of Object.entries(params)) texts[k] = String(v);
  return { code, params: texts, message: interpolate(problemsEn[code], texts) };
}

/** pos-core's `Error::invalid_fields`: summarised as `fix_fields` naming the fields. */
export function invalid(fields: Fields): CommandError {
  return failure('invalid_input', problem('fix_fields', { fields: Object.keys(fields).sort().join(', ') }), fields);
}

/** pos-core's `Error::invalid_field`: one field, summarised by its own problem. */
export function invalidField(field: string, why: Problem): CommandError {
  return failure('invalid_input', why, { [field]: [why] });
}

export function failure(code: CommandError['code'], why: Problem, fields: Fields = {}): CommandError {
  return { code, problem: why, message: why.message, fields, sale_id: null };
}
