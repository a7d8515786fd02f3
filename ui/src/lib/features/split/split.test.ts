import { beforeEach, describe, expect, it } from 'vitest';
import { createFakeBackend, type FakeBackend } from '../../api/fake';
import { i18n } from '../../i18n/index.svelte';
import { SplitStore } from './split.svelte';

let api: FakeBackend;
let split: SplitStore;

beforeEach(() => {
  i18n.setLanguage('en', false);
  api = createFakeBackend();
  split = new SplitStore(api);
});

describe('SplitStore', () => {
  it('opens a bill; a bad amount is refused on its field', async () => {
    expect(await split.start('0')).toBeNull();
    expect(split.errors['amount']).toBeTruthy();
    const bill = await split.start('10');
    expect(bill?.amount).toBe('10.000');
    expect(split.partText).toBe('10.000');
  });

  it('cash part with change, then a link part for the rest; a second link waits for the first', async () => {
    await api.openShift('0');
    await split.start('10');
    split.partText = '3.250';
    const cash = await split.addCash('5');
    expect(cash?.change).toBe('1.750');
    expect(split.lastCash?.change).toBe('1.750');
    expect([split.bill?.paid, split.bill?.remaining]).toEqual(['3.250', '6.750']);
    expect(split.partText).toBe('6.750');

    split.partText = '4';
    const link = await split.addLink();
    expect(link?.bill_id).toBe(split.bill?.id);
    expect(split.bill?.live_link).toBe(link?.id);
    expect(split.partText).toBe('2.750');
    expect(await split.addLink()).toBeNull();
    expect(split.error?.problem.code).toBe('bill_link_live');

    // Too much cash for what is left (6.750 − the live 4.000): refused on the amount.
    split.partText = '2.751';
    expect(await split.addCash('3')).toBeNull();
    expect(split.errors['amount']).toMatch(/2\.750/);

    api.simulate(link?.id ?? '', 'paid');
    await split.refresh();
    expect([split.bill?.remaining, split.bill?.live_link]).toEqual(['2.750', null]);
    const last = await split.addCash('2.750');
    expect(last?.change).toBe('0.000');
    expect(split.bill?.state).toBe('paid');
    split.close();
    expect(split.bill).toBeNull();
  });

  it('short cash for a part is refused on the cash given', async () => {
    await api.openShift('0');
    await split.start('5');
    split.partText = '2';
    expect(await split.addCash('1.999')).toBeNull();
    expect(split.errors['tendered']).toMatch(/at least 2\.000/);
    expect(split.bill?.parts).toEqual([]);
  });
});
