import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// base './' because the Tauri shell loads dist/ from disk (tauri.conf.json frontendDist ../ui/dist).
export default defineConfig(({ mode }) => ({
  plugins: [svelte()],
  base: './',
  clearScreen: false,
  server: { host: '127.0.0.1', port: 5173, strictPort: true },
  build: { outDir: 'dist', target: 'es2022', sourcemap: false },
  // Vitest runs under Node; Svelte's browser build is the one with mount() and runes in the DOM.
  resolve: mode === 'test' ? { conditions: ['browser'] } : undefined,
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.ts'],
  },
}));
