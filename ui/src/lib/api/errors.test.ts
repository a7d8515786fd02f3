import { describe, expect, it } from 'vitest';
import { errorMessage, fieldMessage, problemText, toCommandError, untranslatedWords } from './errors';
import type { Problem } from './types';

const problem = (code: Problem['code'], params: Record<string, string> = {}): Problem => ({ code, params, message: '' });

describe('toCommandError', () => {
  it('keeps a CommandError from the shell, with its problems', () => {
    const email = problem('email_invalid');
    const e = toCommandError({
      code: 'invalid_input',
      problem: problem('fix_fields', { fields: 'customer_email' }),
      message: 'please fix: customer_email',
      fields: { customer_email: [email] },
    });
    expect(e.problem.code).toBe('fix_fields');
    expect(e.fields).toEqual({ customer_email: [email] });
    expect(e.sale_id).toBeNull();
  });
  it('keeps the sale an ambiguous create left behind', () => {
    const e = toCommandError({ code: 'ambiguous', problem: problem('ambiguous', { detail: 'timed out' }), message: '', fields: {}, sale_id: 'sale_1' });
    expect(e.sale_id).toBe('sale_1');
  });
  it("reads bare strings as the server's or a detail under the code's own problem", () => {
    const e = toCommandError({ code: 'api_rejected', message: 'Amount exceeds the limit.', fields: { amount: 'Too big.' } });
    expect(e.problem).toEqual({ code: 'server_refused', params: { server_text: 'Amount exceeds the limit.' }, message: 'Amount exceeds the limit.' });
    expect(e.fields['amount']?.[0]).toEqual({ code: 'server_field_refused', params: { server_text: 'Too big.' }, message: 'Too big.' });
  });
  it('turns strings, exceptions and unknown codes into internal errors', () => {
    expect(toCommandError('boom')).toMatchObject({ code: 'internal', problem: { code: 'internal', params: { detail: 'boom' } } });
    expect(toCommandError(new Error('x')).code).toBe('internal');
    expect(toCommandError({ code: 'weird', message: 'm' }).code).toBe('internal');
  });
});

describe('problem texts', () => {
  it('says a field error in the chosen language with its parameters', () => {
    const p = problem('amount_too_many_decimals', { currency: 'KWD', decimals: '3', example: '12.500' });
    expect(problemText(p, 'en')).toBe('KWD amounts have at most 3 decimals, e.g. 12.500.');
    expect(problemText(p, 'ar')).toBe('مبالغ KWD لها 3 خانات عشرية على الأكثر، مثل 12.500');
    expect(problemText(p, { lang: 'ar', arabicDigits: true })).toBe('مبالغ KWD لها ٣ خانات عشرية على الأكثر، مثل ١٢٫٥٠٠');
  });
  it('translates parameters that are words from a fixed list, and leaves ids as sent', () => {
    const p = problem('role_may_not', { role: 'cashier', action: 'refund payments' });
    expect(problemText(p, 'ar')).toBe('لا يسمح دور الكاشير بـاسترداد المدفوعات. اطلب من المدير أو المالك.');
    expect(problemText(problem('sale_not_editable', { state: 'paid' }), 'ar')).toContain('مدفوع');
    expect(problemText(problem('sale_not_found', { id: 'sale_42' }), { lang: 'ar', arabicDigits: true })).toContain('sale_42');
  });
  it("shows the server's words beneath a translated summary, never inside it", () => {
    const e = toCommandError({ code: 'api_rejected', problem: problem('server_refused', { server_text: 'Merchant disabled.' }), message: '', fields: {} });
    expect(errorMessage(e, 'ar')).toBe('رفضت أتو هذا الطلب.');
    expect(errorMessage(e, 'ar')).not.toContain('Merchant');
    expect(untranslatedWords(e.problem)).toEqual({ kind: 'server', text: 'Merchant disabled.' });
    const field = toCommandError({ code: 'api_rejected', problem: problem('server_refused_fields', { fields: 'amount' }), message: '', fields: { amount: [problem('server_field_refused', { server_text: 'over limit' })] } });
    expect(fieldMessage(field, 'amount', 'ar')).toBe('رفضت أتو هذه القيمة. «over limit»');
    expect(fieldMessage(field, 'customer_phone', 'ar')).toBeNull();
  });
});
