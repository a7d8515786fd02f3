import { beforeEach, describe, expect, it } from 'vitest';
import { createFakeBackend, type FakeBackend } from '../../api/fake';
import { cleanProfileInput, SettingsStore } from './settings.svelte';

let api: FakeBackend;
let store: SettingsStore;

beforeEach(async () => {
  api = createFakeBackend();
  // A real Ottu connection needs an owner PIN first (pos-core refuses it before).
  await api.saveStaff({ id: 'staff-1', name: 'Owner', role: 'owner', pin: '1234' });
  store = new SettingsStore(api);
  store.load(await api.appState());
});

describe('SettingsStore', () => {
  it('saves settings and reloads the form from the answer', async () => {
    store.form.language = 'ar';
    store.form.shop_name = '  Bakery  ';
    const state = await store.saveSettings();
    expect(state?.settings.language).toBe('ar');
    expect(store.form.shop_name).toBe('Bakery');
  });

  it('shows a settings field error next to the field', async () => {
    store.form.shop_name = ' ';
    expect(await store.saveSettings()).toBeNull();
    expect(store.settingsErrors['shop_name']).toMatch(/shop/);
  });

  it('adds a connection: errors by field, then saved and listed without the secret', async () => {
    store.edit(null, 'KWD');
    expect(store.editor?.base_url).toBe('https://');
    expect(await store.saveProfile()).toBeNull();
    expect(store.profileErrors.name).toBeDefined();
    expect(store.profileErrors.base_url).toBeDefined();
    expect(store.profileErrors.secret).toBeDefined();

    store.editor!.name = 'My shop';
    store.editor!.base_url = 'https://shop.ottu.net/';
    store.editor!.secret = 'key-123';
    const state = await store.saveProfile();
    expect(state?.profiles.map((p) => p.name)).toEqual(['Demo', 'My shop']);
    expect(store.editor).toBeNull();
    const saved = store.profiles.find((p) => p.name === 'My shop')!;
    expect(saved.base_url).toBe('https://shop.ottu.net');
    expect(saved.secret_configured).toBe(true);
    expect(JSON.stringify(state)).not.toContain('key-123');
  });

  it('editing keeps the stored secret when the field is left blank', async () => {
    store.edit(null, 'KWD');
    Object.assign(store.editor!, { name: 'A', base_url: 'https://a.ottu.net', secret: 's' });
    await store.saveProfile();
    const profile = store.profiles.find((p) => p.name === 'A')!;
    store.edit(profile, 'KWD');
    expect(store.editor?.secret).toBe('');
    expect(store.editorHasSecret).toBe(true);
    expect(cleanProfileInput(store.editor!)).not.toHaveProperty('secret');
    store.editor!.name = 'A2';
    expect(await store.saveProfile()).not.toBeNull();
  });

  it('tests a connection and reports the kind', async () => {
    store.edit(null, 'KWD');
    Object.assign(store.editor!, { name: 'A', base_url: 'https://a.ottu.net', secret: 'wrong' });
    expect((await store.testConnection())?.kind).toBe('bad_credentials');
    store.editor!.secret = 'right';
    expect((await store.testConnection())?.ok).toBe(true);
  });

  it('lists gateways for the currency and toggles default ones', async () => {
    store.edit(null, 'KWD');
    await store.loadGateways('KWD');
    expect(store.gateways.map((g) => g.code)).toContain('knet');
    store.togglePgCode('knet', true);
    store.togglePgCode('credit-card', true);
    store.togglePgCode('knet', false);
    expect(store.editor?.default_pg_codes).toEqual(['credit-card']);
  });

  it('switches and removes connections', async () => {
    store.edit(null, 'KWD');
    Object.assign(store.editor!, { name: 'B', base_url: 'https://b.ottu.net', secret: 's' });
    await store.saveProfile();
    const id = store.profiles.find((p) => p.name === 'B')!.id;
    expect((await store.use(id))?.profile.id).toBe(id);
    expect(store.activeId).toBe(id);
    const after = await store.remove(id);
    expect(after?.profile.kind).toBe('demo');
    expect(await store.remove('demo')).toBeNull();
    expect(store.error?.message).toMatch(/demo/);
  });
});
