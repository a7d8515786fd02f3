import { describe, expect, it } from 'vitest';
import { createFakeBackend } from './fake';

// The fake mirrors pos-core's check_amount, which reads typed amounts (CLI) by the UI's rule.
describe('fake backend amounts', () => {
  it('reads , and ٬ as grouping and . and ٫ as the decimal point, like pos-core', async () => {
    const api = createFakeBackend();
    for (const [amount, currency, expected] of [
      ['1,500', 'KWD', '1500.000'],
      ['١٬٥٠٠', 'KWD', '1500.000'],
      ['1.500', 'KWD', '1.500'],
      ['١٫٥٠٠', 'KWD', '1.500'],
      ['1,500', 'SAR', '1500.00'],
      ['١٫٥٠', 'SAR', '1.50'],
    ]) {
      const sale = await api.createSale({ amount: amount!, currency_code: currency! });
      expect(sale.amount, amount).toBe(expected);
    }
    await expect(api.createSale({ amount: '1,50', currency_code: 'KWD' })).rejects.toMatchObject({
      code: 'invalid_input',
      fields: { amount: [{ code: 'amount_misplaced_grouping', params: {} }] },
    });
  });
});
