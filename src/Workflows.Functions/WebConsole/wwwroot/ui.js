// Small DOM helpers: elements are built with h(), never from HTML strings, so API data is always text.
import { api } from './api.js';

export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (value == null || value === false) continue;
    if (name.startsWith('on')) el.addEventListener(name.slice(2), value);
    else if (name === 'class') el.className = value;
    else el.setAttribute(name, value === true ? '' : value);
  }
  for (const child of children.flat(Infinity)) {
    if (child != null && child !== false) el.append(child instanceof Node ? child : String(child));
  }
  return el;
}

/** Replaces an element's content; null and false children are skipped (conditional parts of a view). */
export function mount(el, ...children) {
  // A live view re-renders on its polls: the keyboard stays on the button it was on (the one with the same label).
  const focused = el.contains(document.activeElement) && document.activeElement.tagName === 'BUTTON' ? document.activeElement.textContent : null;
  el.replaceChildren(...children.flat(Infinity).filter((c) => c != null && c !== false));
  if (focused) [...el.querySelectorAll('button')].find((b) => b.textContent === focused)?.focus();
}

export const time = (iso) => (iso ? new Date(iso).toLocaleString() : '—');

export const bytes = (n) => (n == null ? '—' : n < 1024 ? `${n} B` : n < 1048576 ? `${(n / 1024).toFixed(1)} KB` : `${(n / 1048576).toFixed(1)} MB`);

export const money = (amount, currency) => (amount == null ? '—' : `${Number(amount).toFixed(2)} ${currency ?? ''}`.trim());

/** A status as a badge: colour for the eye, the word for everyone. */
export const badge = (status) => h('span', { class: `badge badge-${String(status).toLowerCase()}` }, status);

/** Tells screen readers (and the tests) what just happened. */
export function announce(message) {
  const region = document.getElementById('status');
  region.textContent = '';
  setTimeout(() => { region.textContent = message; }, 50);
}

/** Asks before a destructive action; resolves true when confirmed. */
export function confirmAction(message, label) {
  const dialog = document.getElementById('confirm');
  document.getElementById('confirm-text').textContent = message;
  document.getElementById('confirm-ok').textContent = label;
  dialog.returnValue = '';
  dialog.showModal();
  return new Promise((resolve) => dialog.addEventListener('close', () => resolve(dialog.returnValue === 'ok'), { once: true }));
}

/** A problem-details error (or any error) as an alert. */
export function errorBox(error) {
  const problem = error?.problem;
  const details = problem?.errors ? Object.entries(problem.errors).map(([field, messages]) => h('li', {}, `${field}: ${messages.join('; ')}`)) : [];
  return h('div', { class: 'error', role: 'alert' },
    h('strong', {}, problem?.title ?? 'Something went wrong.'), ' ',
    problem?.detail ?? error?.message ?? String(error),
    details.length ? h('ul', {}, details) : null);
}

/** Runs an async action from a button: disables it meanwhile, shows a failure next to it. */
export function action(label, run, attrs = {}) {
  const button = h('button', { type: 'button', ...attrs }, label);
  button.addEventListener('click', async () => {
    button.disabled = true;
    button.parentElement?.querySelector(':scope > .error')?.remove();
    try {
      await run();
    } catch (error) {
      button.after(errorBox(error));
    } finally {
      button.disabled = false;
    }
  });
  return button;
}

/** Label + control, for forms. */
export const field = (label, control) => h('label', { class: 'field' }, h('span', {}, label), control);

export function select(name, options, value) {
  return h('select', { name }, options.map(([v, text]) => h('option', { value: v, selected: v === value }, text)));
}

/** Repeats fn every ms while the view lives (signal not aborted); fn returns false to stop. */
export function poll(signal, ms, fn) {
  const tick = async () => {
    if (signal.aborted) return;
    let again = true;
    try { again = (await fn()) !== false; } catch { /* shown on the next successful read */ }
    if (again && !signal.aborted) setTimeout(tick, ms);
  };
  setTimeout(tick, ms);
}

/** A table that scrolls sideways on narrow screens; body is a <tbody> (to append to later) or its rows. */
export const table = (headers, body) => h('div', { class: 'table-wrap' },
  h('table', {}, h('thead', {}, h('tr', {}, headers.map((t) => h('th', { scope: 'col' }, t)))),
    body instanceof HTMLTableSectionElement ? body : h('tbody', {}, body)));

export const json = (value) => h('pre', { class: 'json' }, value == null ? '—' : JSON.stringify(value, null, 2));

/**
 * Pages through a list endpoint (`{ items, continuationToken }`): the returned function loads the next page and hands
 * its items to onItems; the "Load more" button it makes shows while there is a next page.
 */
export function pager(path, params, signal, onItems) {
  const more = h('button', { type: 'button', hidden: true }, 'Load more');
  let token = null;
  const load = async () => {
    const query = new URLSearchParams(params);
    if (token) query.set('continuationToken', token);
    const page = await api(`${path}?${query}`, { signal });
    onItems(page.items);
    token = page.continuationToken;
    more.hidden = !token;
  };
  more.addEventListener('click', () => load().catch((error) => more.after(errorBox(error))));
  return { load, more };
}

/** A filter form: submitting it navigates to #/{route}?{the non-empty fields} (plus the kept parameters). */
export function filterForm(route, params, keep, ...fields) {
  return h('form', {
    class: 'filters',
    onsubmit: (e) => {
      e.preventDefault();
      const next = new URLSearchParams([...new FormData(e.target)].filter(([, v]) => v));
      keep.filter((name) => params.get(name)).forEach((name) => next.set(name, params.get(name)));
      location.hash = `#/${route}?${next}`;
    },
  }, fields, h('button', { type: 'submit' }, 'Filter'));
}
