// Workflows (operators, admin key): every orchestration instance, its details and history, and the engine's commands.
import { api } from './api.js';
import { action, announce, badge, confirmAction, errorBox, field, filterForm, h, json, mount, pager, poll, select, table, time } from './ui.js';

const runtimeStatuses = ['Running', 'Pending', 'Suspended', 'Completed', 'Failed', 'Terminated'];
const finished = ['Completed', 'Failed', 'Terminated'];

export async function workflowsList(view, { signal }, queryString) {
  const params = new URLSearchParams(queryString ?? '');
  const rows = h('tbody');
  const { load, more } = pager('workflows', params, signal, (items) => rows.append(...items.map((w) => h('tr', { 'data-instance-id': w.instanceId },
    h('td', {}, h('a', { href: `#/workflows/${encodeURIComponent(w.instanceId)}` }, w.instanceId)),
    h('td', {}, w.name), h('td', {}, badge(w.runtimeStatus)), h('td', {}, time(w.createdAt)), h('td', {}, time(w.lastUpdatedAt))))));
  const filters = filterForm('workflows', params, [],
    field('Orchestration', h('input', { name: 'name', value: params.get('name') ?? '', placeholder: 'e.g. OrderFulfilmentOrchestrator' })),
    field('Status', select('status', [['', 'Any'], ...runtimeStatuses.map((s) => [s, s])], params.get('status') ?? '')),
    field('Instance ID starts with', h('input', { name: 'instanceIdPrefix', value: params.get('instanceIdPrefix') ?? '' })),
    field('Created from', h('input', { name: 'createdFrom', type: 'date', value: params.get('createdFrom') ?? '' })),
    field('Created before', h('input', { name: 'createdTo', type: 'date', value: params.get('createdTo') ?? '' })));
  mount(view, h('h1', {}, 'Workflows'), purgeForm(), filters,
    table(['Instance', 'Orchestration', 'Status', 'Created', 'Last updated'], rows), more);
  await load();
}

function purgeForm() {
  const days = h('input', { name: 'olderThanDays', type: 'number', min: 0, value: 30, required: true });
  const result = h('p', { role: 'status' });
  return h('details', {}, h('summary', {}, 'Purge finished instances'),
    h('div', { class: 'panel' },
      field('Finished at least this many days ago', days),
      action('Purge', async () => {
        if (!(await confirmAction(`Purge every finished instance older than ${days.value} days (history only; orders and assets stay)?`, 'Purge'))) return;
        const purged = await api('workflows/purge', { method: 'POST', json: { olderThanDays: Number(days.value) } });
        const kept = purged.kept ? `; kept ${purged.kept} (a sub-orchestration still runs or a clean-up failed: try again later)` : '';
        result.textContent = `Purged ${purged.purged} instance(s)${kept}${purged.more ? '; more remain, purge again' : ''}.`;
      }, { class: 'danger' }), result));
}

function commands(w, refresh) {
  const id = encodeURIComponent(w.instanceId);
  const run = (path, done, json) => async () => {
    await api(`workflows/${id}/${path}`, { method: 'POST', json });
    announce(done);
    await refresh();
  };
  const buttons = [];
  if (w.runtimeStatus === 'Running' || w.runtimeStatus === 'Pending') buttons.push(action('Suspend', run('suspend', 'Suspend requested')));
  if (w.runtimeStatus === 'Suspended') buttons.push(action('Resume', run('resume', 'Resume requested'), { class: 'primary' }));
  if (!finished.includes(w.runtimeStatus)) {
    // Confirming the warning is the operator's choice to terminate anyway, hence force.
    const warning = w.insteadOfTerminate ? ` ${w.insteadOfTerminate}` : '';
    buttons.push(action('Terminate', async () => {
      if (await confirmAction(`Terminate ${w.instanceId}? Its own compensations do not run.${warning}`, 'Terminate')) {
        await run(w.insteadOfTerminate ? 'terminate?force=true' : 'terminate', 'Terminate requested', { reason: 'terminated from the console' })();
      }
    }, { class: 'danger' }));
  }
  if (finished.includes(w.runtimeStatus) && w.restartable) {
    buttons.push(action('Restart', async () => {
      if (!(await confirmAction(`Restart ${w.instanceId} with the same input, under the same id (its history is replaced)?`, 'Restart'))) return;
      const restarted = await api(`workflows/${id}/restart`, { method: 'POST' });
      announce(`Restarted as ${restarted.instanceId}`);
      await refresh();
    }));
  }
  if (finished.includes(w.runtimeStatus)) {
    buttons.push(action('Purge', async () => {
      if (!(await confirmAction(`Purge ${w.instanceId} and its sub-orchestrations from the task hub?`, 'Purge'))) return;
      await api(`workflows/${id}`, { method: 'DELETE' });
      announce('Purged');
      location.hash = '#/workflows';
    }, { class: 'danger' }));
  }
  return h('div', { class: 'actions' }, buttons);
}

function eventForm(w, refresh) {
  const name = h('input', { name: 'eventName', required: true, pattern: '[A-Za-z0-9_.\\-]{1,100}' });
  const payload = h('textarea', { name: 'payload', rows: 3, placeholder: '{"approved": true}' });
  const form = h('form', {
    class: 'panel',
    onsubmit: async (e) => {
      e.preventDefault();
      form.querySelector('.error')?.remove();
      try {
        const body = payload.value.trim() ? JSON.parse(payload.value) : undefined;
        await api(`workflows/${encodeURIComponent(w.instanceId)}/events/${encodeURIComponent(name.value)}`, { method: 'POST', json: body });
        announce(`Event ${name.value} raised`);
        await refresh();
      } catch (error) {
        form.append(errorBox(error));
      }
    },
  }, h('h3', {}, 'Raise an event'), field('Event name', name), field('JSON payload', payload), h('button', { type: 'submit' }, 'Raise event'));
  return form;
}

export async function workflowPage(view, { signal }, encodedId) {
  const id = decodeURIComponent(encodedId);
  let shown = '';
  const render = (w) => {
    if (JSON.stringify(w) === shown) return; // unchanged: keep the DOM (and the keyboard focus)
    shown = JSON.stringify(w);
    const history = w.history ?? [];
    mount(view,
      h('p', {}, h('a', { href: '#/workflows' }, '← All workflows')),
      h('h1', {}, w.instanceId, ' ', badge(w.runtimeStatus)),
      h('p', {}, `${w.name} · created ${time(w.createdAt)} · last updated ${time(w.lastUpdatedAt)}`),
      commands(w, refresh),
      w.failure ? h('div', { class: 'error', role: 'alert' }, h('strong', {}, w.failure.errorType), ': ', w.failure.message) : null,
      h('h2', {}, 'Custom status'), json(w.customStatus),
      h('h2', {}, 'Input'), json(w.input),
      h('h2', {}, 'Output'), json(w.output),
      h('h2', {}, 'History'),
      history.length
        ? table(['#', 'Event', 'Name', 'Detail', 'Time'], history.map((e) => h('tr', {},
          h('td', {}, e.eventId), h('td', {}, e.type), h('td', {}, e.name ?? ''), h('td', {}, e.detail ?? ''), h('td', {}, time(e.timestamp)))))
        : h('p', {}, 'No history from this task hub backend.'),
      finished.includes(w.runtimeStatus) ? null : eventForm(w, refresh));
  };
  const refresh = async () => render(await api(`workflows/${encodeURIComponent(id)}?input=true&output=true&history=true`, { signal }));
  await refresh();
  poll(signal, 2000, refresh);
}
