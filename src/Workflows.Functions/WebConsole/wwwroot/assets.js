// Assets: drag-and-drop upload with progress, a gallery that follows Processing -> Ready/Failed, and the asset page.
import { api, upload, withKey } from './api.js';
import { action, announce, badge, bytes, confirmAction, errorBox, field, filterForm, h, mount, pager, poll, select, time } from './ui.js';

const uploadsAtOnce = 3;

function card(asset) {
  const thumb = asset.thumbnailUrl
    ? h('img', { src: withKey(asset.thumbnailUrl), alt: '', loading: 'lazy' })
    : h('div', { class: 'placeholder', 'aria-hidden': 'true' }, asset.status === 'Failed' ? '✕' : '…');
  return h('li', { class: 'card', 'data-asset-id': asset.id, 'data-status': asset.status },
    h('a', { href: `#/assets/${asset.id}` }, thumb, h('span', { class: 'name' }, asset.originalName ?? asset.id)),
    badge(asset.status),
    asset.status === 'Failed' ? h('p', { class: 'reason' }, asset.failureReason) : null);
}

export async function gallery(view, { signal }, queryString) {
  const params = new URLSearchParams(queryString ?? '');
  const list = h('ul', { class: 'gallery', 'aria-label': 'Assets', 'aria-live': 'polite' });
  const uploads = h('ul', { class: 'uploads', 'aria-label': 'Uploads' });
  const picker = h('input', { type: 'file', multiple: true, accept: 'image/*', id: 'file-picker', class: 'visually-hidden' });
  const drop = h('div', { class: 'dropzone', 'data-testid': 'dropzone' },
    h('p', {}, 'Drop images here, or '), h('label', { for: 'file-picker', class: 'button' }, 'choose files'), picker);
  const watch = new Set(); // ids still Processing
  const show = (asset, atTop = false) => {
    const existing = list.querySelector(`[data-asset-id="${asset.id}"]`);
    if (existing?.dataset.status === asset.status && existing.querySelector('.name').textContent === (asset.originalName ?? asset.id)) return;
    const element = card(asset);
    if (existing) existing.replaceWith(element); else if (atTop) list.prepend(element); else list.append(element);
    if (asset.status === 'Processing') watch.add(asset.id); else watch.delete(asset.id);
  };

  const { load, more } = pager('assets', params, signal, (items) => items.forEach((a) => show(a)));
  const loadFirst = async () => {
    await load();
    if (!list.children.length) list.append(h('li', { class: 'empty' }, 'No assets yet: drop some images above.'));
  };

  async function send(file, row) {
    const bar = row.querySelector('progress');
    const note = row.querySelector('.note');
    try {
      const accepted = await upload(file, (p) => { bar.value = Math.round(p * 100); });
      bar.value = 100;
      note.textContent = 'Uploaded: processing';
      list.querySelector('.empty')?.remove();
      show({ id: accepted.id, status: 'Processing', originalName: file.name }, true);
      announce(`${file.name} uploaded`);
    } catch (error) {
      row.classList.add('failed');
      mount(note, errorBox(error));
      announce(`${file.name} was not accepted`);
    }
  }

  async function sendAll(files) {
    const queue = [...files].map((file) => {
      const row = h('li', {}, h('span', { class: 'name' }, file.name), ' ',
        h('progress', { max: 100, value: 0, 'aria-label': `Upload of ${file.name}` }), ' ', h('span', { class: 'note' }, 'Waiting'));
      uploads.prepend(row);
      return [file, row];
    });
    const worker = async () => { for (let next = queue.shift(); next; next = queue.shift()) await send(...next); };
    await Promise.all(Array.from({ length: uploadsAtOnce }, worker));
  }

  picker.addEventListener('change', () => { sendAll(picker.files); picker.value = ''; });
  drop.addEventListener('dragover', (e) => { e.preventDefault(); drop.classList.add('over'); });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (e) => {
    e.preventDefault();
    drop.classList.remove('over');
    sendAll(e.dataTransfer.files);
  });
  const filters = filterForm('assets', params, ['pageSize'],
    field('Status', select('status', [['', 'Any'], ['Processing', 'Processing'], ['Ready', 'Ready'], ['Failed', 'Failed']], params.get('status') ?? '')),
    field('Name starts with', h('input', { name: 'name', value: params.get('name') ?? '' })));

  mount(view, h('h1', {}, 'Assets'), drop, uploads, filters, list, more);
  await loadFirst();

  // Live: each asset still Processing is re-read until it is Ready or Failed.
  poll(signal, 1500, async () => {
    await Promise.all([...watch].map(async (id) => show(await api(`assets/${id}`, { signal }))));
  });
}

function metadataList(asset) {
  const m = asset.metadata ?? {};
  const [lat, lon] = [m.latitude?.toFixed(6), m.longitude?.toFixed(6)];
  const gps = lat && lon
    ? h('a', { href: `https://www.openstreetmap.org/?mlat=${lat}&mlon=${lon}#map=15/${lat}/${lon}`, target: '_blank', rel: 'noopener' }, `${lat}, ${lon} (map)`)
    : '—';
  const rows = [
    ['Status', badge(asset.status)],
    ['Type', asset.contentType ?? '—'],
    ['Size', bytes(asset.sizeBytes)],
    ['Dimensions', asset.width ? `${asset.width} × ${asset.height} px` : '—'],
    ['Camera', [m.cameraMake, m.cameraModel].filter(Boolean).join(' ') || '—'],
    ['Taken at', m.takenAt ?? '—'],
    ['Location', gps],
    ['Uploaded', time(asset.uploadedAt)],
    ['Processed', time(asset.processingCompletedAt)],
    ['Re-rendered', asset.reprocessedAt ? `${time(asset.reprocessedAt)}${asset.reprocessError ? `: ${asset.reprocessError}` : ''}` : '—'],
    ['SHA-256', h('code', {}, asset.sha256 ?? '—')],
  ];
  return h('dl', { class: 'meta' }, rows.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));
}

export async function assetPage(view, { signal }, id) {
  let shown = '';
  const render = (asset) => {
    if (JSON.stringify(asset) === shown) return; // unchanged: keep the DOM (and the keyboard focus)
    shown = JSON.stringify(asset);
    const renditions = asset.renditions ?? [];
    const preview = renditions.find((r) => r.name.includes('800')) ?? renditions[0];
    mount(view,
      h('p', {}, h('a', { href: '#/assets' }, '← All assets')),
      h('h1', {}, asset.originalName ?? asset.id),
      asset.failureReason ? h('p', { class: 'error', role: 'alert', 'data-testid': 'failure-reason' }, asset.failureReason) : null,
      preview ? h('img', { class: 'preview', src: withKey(`${preview.url}?v=${asset.reprocessedAt ?? ''}`), alt: asset.originalName ?? '' }) : null,
      renditions.length ? h('h2', {}, 'Renditions') : null,
      renditions.length ? h('ul', { class: 'renditions' }, renditions.map((r) =>
        h('li', {}, h('a', { href: withKey(r.url), target: '_blank', rel: 'noopener' }, r.name), ` ${r.width} × ${r.height}, ${bytes(r.bytes)}`))) : null,
      h('h2', {}, 'Details'),
      metadataList(asset),
      h('div', { class: 'actions' },
        asset.status === 'Ready' ? action('Re-render', async () => {
          await api(`assets/${id}/rerender`, { method: 'POST' });
          announce('Re-render started');
        }) : null,
        action('Delete', async () => {
          if (!(await confirmAction(`Delete ${asset.originalName ?? id} with its original and every rendition?`, 'Delete'))) return;
          await api(`assets/${id}`, { method: 'DELETE' });
          announce('Deleted');
          location.hash = '#/assets';
        }, { class: 'danger' })));
  };
  const refresh = async () => render(await api(`assets/${id}`, { signal }));
  await refresh();
  poll(signal, 1500, refresh);
}
