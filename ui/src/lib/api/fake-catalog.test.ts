// The fake's cart against the numbers pos-core's own tests fix (crates/pos-core/src/cart/tests.rs).
import { describe, expect, it } from 'vitest';
import type { CatalogItem } from './types';
import { fold, priceCart } from './fake-catalog';

const noItem = (id: string): CatalogItem => {
  throw new Error(`no item ${id}`);
};

describe('fake cart', () => {
  it('prices tax-inclusive KWD lines with a whole-sale percentage as pos-core does', () => {
    const t = priceCart(
      {
        currency_code: 'KWD',
        lines: [
          { unit_price: '0.250', quantity: '2', vat_rate: 5 },
          { unit_price: '1.050', vat_rate: 15 },
        ],
        discount: { kind: 'percent', value: '10' },
      },
      true,
      noItem,
    );
    expect(t.sale_discount).toBe('0.155');
    expect(t.lines.map((l) => [l.sale_discount_share, l.unit_price_excl_tax, l.total_incl_tax])).toEqual([
      ['0.050', '0.238', '0.450'],
      ['0.105', '0.913', '0.945'],
    ]);
    expect(t.vat).toEqual([
      { rate: 5, taxable: '0.429', tax: '0.021' },
      { rate: 15, taxable: '0.822', tax: '0.123' },
    ]);
    expect([t.total, t.shelf_total, t.matches_shelf]).toEqual(['1.395', '1.395', true]);
  });

  it('sends tax-exclusive prices as they are', () => {
    const t = priceCart(
      {
        currency_code: 'SAR',
        lines: [
          { unit_price: '10.00', quantity: '3', vat_rate: 15, discount: { kind: 'amount', value: '1.00' } },
          { unit_price: '2.50' },
        ],
        discount: { kind: 'amount', value: '3.15' },
      },
      false,
      noItem,
    );
    expect(t.lines.map((l) => l.discount_excl_tax)).toEqual(['3.90', '0.25']);
    expect(t.total).toBe('32.27');
  });

  it('shows an unreachable inclusive total instead of hiding it', () => {
    const t = priceCart({ currency_code: 'KWD', lines: [{ unit_price: '0.101', quantity: '3', vat_rate: 15 }] }, true, noItem);
    expect(t.shelf_total).toBe('0.303');
    expect(t.matches_shelf).toBe(false);
  });

  it('folds case, accents and Arabic marks', () => {
    expect(fold('Café')).toBe('cafe');
    expect(fold('قَهْوَة')).toBe(fold('قهوه'));
    expect(fold('أرز')).toBe('ارز');
  });
});
