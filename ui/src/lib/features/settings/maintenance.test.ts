import { beforeEach, describe, expect, it } from 'vitest';
import { createFakeBackend, type FakeBackend } from '../../api/fake';
import { MaintenanceStore } from './maintenance.svelte';

let api: FakeBackend;
let store: MaintenanceStore;

beforeEach(async () => {
  api = createFakeBackend();
  await api.saveStaff({ id: 'staff-1', name: 'Owner', role: 'owner', pin: '1234' });
  store = new MaintenanceStore(api);
  await store.load();
});

describe('MaintenanceStore', () => {
  it('saves diagnostics to the file the shell chose', async () => {
    const saved = await store.saveDiagnostics();
    expect(saved?.path).toMatch(/ottu-pos-diagnostics-.*\.zip$/);
    expect(saved?.files).toContain('sales.json');
  });

  it('keeps updates off until an https address is saved; plain http is refused on the field', async () => {
    expect(store.endpoint).toBe('');
    await store.check();
    expect(store.error?.code).toBe('not_configured');

    store.endpoint = 'http://updates.example.com/latest.json';
    expect(await store.saveEndpoint()).toBe(false);
    expect(store.endpointError?.code).toBe('update_endpoint_not_https');

    store.endpoint = ' https://updates.example.com/latest.json ';
    expect(await store.saveEndpoint()).toBe(true);
    expect(store.endpoint).toBe('https://updates.example.com/latest.json');
    await store.check();
    expect(store.error).toBeNull();
    expect(store.upToDate).toBe(true);
  });

  it('does not install while a sale can still be paid', async () => {
    store.endpoint = 'https://updates.example.com/latest.json';
    await store.saveEndpoint();
    await api.createSale({ amount: '1.000', currency_code: 'KWD' });
    store.offer = { version: '9.9.9', current_version: '0.1.0', notes: 'x' };
    await store.install();
    expect(store.error?.problem.code).toBe('update_open_sales');
  });

  it('a cashier cannot read or set the update address', async () => {
    await api.saveStaff({ name: 'Ali', role: 'cashier', pin: '1111' });
    await api.unlock('1111');
    const cashier = new MaintenanceStore(api);
    await cashier.load();
    expect(cashier.error?.code).toBe('not_allowed');
    cashier.endpoint = 'https://updates.example.com/latest.json';
    expect(await cashier.saveEndpoint()).toBe(false);
    expect(cashier.error?.code).toBe('not_allowed');
  });
});
