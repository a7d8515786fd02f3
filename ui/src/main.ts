import { mount } from 'svelte';
import './app.css';
import App from './App.svelte';
import { loadBackend } from './lib/api';
import { toCommandError } from './lib/api/errors';

const target = document.getElementById('app');
if (!target) throw new Error('index.html has no #app element');

const api = await loadBackend();
// Anything that escapes the stores ends up in the app log rather than nowhere.
window.addEventListener('error', (e) => api.log('error', `ui error: ${e.message}`));
window.addEventListener('unhandledrejection', (e) => api.log('error', `ui rejection: ${toCommandError(e.reason).message}`));
target.replaceChildren();
mount(App, { target, props: { api } });
