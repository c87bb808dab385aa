// Entry point: finds out what the caller may do, then routes #/assets, #/orders and #/workflows to their views.
import { api, ApiError, key } from './api.js';
import { h, mount } from './ui.js';
import { assetPage, gallery } from './assets.js';
import { orderPage, ordersList } from './orders.js';
import { workflowPage, workflowsList } from './workflows.js';

const access = { user: false, admin: false };

const routes = [
  [/^#\/assets\/([0-9a-f]{32})$/, assetPage],
  [/^#\/assets(?:\?(.*))?$/, gallery],
  [/^#\/orders\/([A-Za-z0-9-]{1,64})$/, orderPage],
  [/^#\/orders(?:\?(.*))?$/, ordersList],
  [/^#\/workflows\/(.+)$/, workflowPage, { admin: true }],
  [/^#\/workflows(?:\?(.*))?$/, workflowsList, { admin: true }],
];

let current = new AbortController();

/**
 * Stops the view on screen (its requests, polls and pending render) and returns the signal of the next one: whatever
 * replaces the view (another route, the key form) calls this first, so a slow old render never paints over it.
 */
function stopView() {
  current.abort();
  current = new AbortController();
  return current.signal;
}

async function allowed(path) {
  try {
    await api(path);
    return true;
  } catch (error) {
    if (error instanceof ApiError && (error.status === 401 || error.status === 403)) return false;
    throw error;
  }
}

/** Locally the host checks no keys; deployed, a function key opens Assets and Orders, the admin key everything. */
async function probe() {
  access.user = await allowed('orders?pageSize=1');
  access.admin = access.user && (await allowed('workflows?pageSize=1'));
  document.querySelectorAll('[data-admin]').forEach((el) => { el.hidden = !access.admin; });
  renderAccess();
}

function keyForm(message) {
  const input = h('input', { type: 'password', name: 'key', autocomplete: 'off', required: true, id: 'key-input' });
  return h('form', {
    class: 'key-form',
    onsubmit: async (e) => {
      e.preventDefault();
      key.set(input.value.trim());
      await start();
    },
  },
  h('p', {}, message),
  h('label', { for: 'key-input' }, 'Function key or admin (master) key'), ' ', input, ' ',
  h('button', { type: 'submit' }, 'Use key'),
  h('p', { class: 'hint' }, 'The key is kept only in this browser tab (session storage) and sent with each API call.'));
}

function renderAccess() {
  const box = document.getElementById('access');
  const level = access.admin ? 'operator (admin)' : access.user ? 'user' : 'none';
  mount(box,
    h('span', {}, key.get() ? `Key in use: ${level}` : access.user ? `No key needed: ${level}` : ''),
    key.get() ? h('button', { type: 'button', class: 'link', onclick: () => { key.clear(); start(); } }, 'Forget key') : null,
    access.user && !access.admin ? h('button', { type: 'button', class: 'link', onclick: () => showKeyForm('Enter the admin key to see workflows.') }, 'Use admin key') : null);
}

function showKeyForm(message) {
  stopView();
  mount(document.getElementById('view'), keyForm(message));
  document.getElementById('key-input').focus();
}

async function route() {
  // This render's own signal: a later navigation replaces `current`, and the error of a render it aborted is not news.
  const signal = stopView();
  const view = document.getElementById('view');
  const hash = location.hash || '#/assets';
  for (const link of document.querySelectorAll('nav a')) {
    link.toggleAttribute('aria-current', hash.startsWith(link.getAttribute('href')));
  }
  const match = routes.map(([pattern, render, options]) => [hash.match(pattern), render, options]).find(([m]) => m);
  if (!match) {
    location.hash = '#/assets';
    return;
  }
  const [m, render, options] = match;
  if (options?.admin && !access.admin) {
    showKeyForm('Workflows are for operators: enter the admin key.');
    return;
  }
  mount(view, h('p', {}, 'Loading…'));
  try {
    await render(view, { signal, admin: access.admin }, m[1]);
  } catch (error) {
    if (!signal.aborted) mount(view, h('div', { class: 'error', role: 'alert' }, error.message));
  }
  view.focus({ preventScroll: true });
}

async function start() {
  stopView(); // a key change: nothing the old key's view still loads may land
  try {
    await probe();
  } catch (error) {
    mount(document.getElementById('view'), h('div', { class: 'error', role: 'alert' }, `The API is not reachable: ${error.message}`));
    return;
  }
  if (!access.user) {
    showKeyForm(key.get() ? 'That key was not accepted. Enter a function key or the admin key.' : 'This console needs a key.');
    return;
  }
  await route();
}

window.addEventListener('hashchange', route);
start();
