// The only module that talks to Tauri: every IPC command of docs/architecture.md, the
// `sale-updated` event and the system plugins the page may use (clipboard, log).
// Outside Tauri (a plain browser under `vite dev`, or Vitest) the in-memory fake is used instead.
import { invoke } from '@tauri-apps/api/core';
import { listen } from '@tauri-apps/api/event';
import { writeText } from '@tauri-apps/plugin-clipboard-manager';
import { error as logError, info as logInfo, warn as logWarn } from '@tauri-apps/plugin-log';
import type { Backend } from './backend';
import { invokeCommands } from './commands';
import type { AppState, Sale } from './types';

export type { Backend, Unlisten } from './backend';
export * from './types';

export function isTauri(): boolean {
  return typeof window !== 'undefined' && '__TAURI_INTERNALS__' in window;
}

/** Set by the shell's boot script (src-tauri/src/state.rs, `BOOT_STATE_GLOBAL`). */
const BOOT_STATE_GLOBAL = '__OTTU_POS_BOOT_STATE__';

export function createTauriBackend(): Backend {
  return {
    kind: 'tauri',
    takeBootState: () => {
      const holder = window as unknown as Record<string, AppState | undefined>;
      const state = holder[BOOT_STATE_GLOBAL] ?? null;
      delete holder[BOOT_STATE_GLOBAL];
      return state;
    },
    ...invokeCommands(invoke),

    onSaleUpdated: (handler) => listen<Sale>('sale-updated', (event) => handler(event.payload)),

    copyText: (text) => writeText(text),
    log: (level, message) => {
      const write = level === 'error' ? logError : level === 'warn' ? logWarn : logInfo;
      write(message).catch(() => undefined);
    },
  };
}

/** The real backend inside Tauri, otherwise the in-memory fake (loaded only when needed). */
export async function loadBackend(): Promise<Backend> {
  if (isTauri()) return createTauriBackend();
  const { createFakeBackend } = await import('./fake');
  return createFakeBackend({
    autoAdvance: true,
    appStateFails: new URLSearchParams(location.search).get('fake') === 'down',
  });
}
