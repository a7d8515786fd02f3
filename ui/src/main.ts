import { mount } from 'svelte';
import './app.css';
import App from './App.svelte';
import { loadBackend } from './lib/api';

const target = document.getElementById('app');
if (!target) throw new Error('index.html has no #app element');

const api = await loadBackend();
target.replaceChildren();
mount(App, { target, props: { api } });
