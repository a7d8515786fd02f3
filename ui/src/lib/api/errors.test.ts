import { describe, expect, it } from 'vitest';
import { errorMessage, toCommandError } from './errors';

describe('toCommandError', () => {
  it('keeps a CommandError from the shell', () => {
    const e = toCommandError({ code: 'invalid_input', message: 'Fix it.', fields: { customer_email: ['Bad email.'] } });
    expect(e).toEqual({ code: 'invalid_input', message: 'Fix it.', fields: { customer_email: ['Bad email.'] }, sale_id: null });
  });
  it('keeps the sale an ambiguous create left behind', () => {
    const e = toCommandError({ code: 'ambiguous', message: 'No clear answer.', fields: {}, sale_id: 'sale_1' });
    expect(e.sale_id).toBe('sale_1');
  });
  it('accepts a single string per field', () => {
    expect(toCommandError({ code: 'invalid_input', message: '', fields: { amount: 'Too big.' } }).fields).toEqual({ amount: ['Too big.'] });
  });
  it('turns strings, exceptions and unknown codes into internal errors', () => {
    expect(toCommandError('boom')).toEqual({ code: 'internal', message: 'boom', fields: {}, sale_id: null });
    expect(toCommandError(new Error('x')).code).toBe('internal');
    expect(toCommandError({ code: 'weird', message: 'm' }).code).toBe('internal');
  });
});

describe('errorMessage', () => {
  it("uses the core's words in English and the code's translation in Arabic", () => {
    const e = toCommandError({ code: 'network', message: 'Cannot reach Ottu at shop.ottu.net.', fields: {} });
    expect(errorMessage(e, 'en')).toBe('Cannot reach Ottu at shop.ottu.net.');
    expect(errorMessage(e, 'ar')).toContain('أتو');
    expect(errorMessage({ ...e, message: '' }, 'en')).toMatch(/internet/);
  });
});
