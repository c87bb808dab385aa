// Orders: the list with filters, a demo-order form, and the order page with its timeline and commands.
import { api } from './api.js';
import { action, announce, badge, confirmAction, errorBox, field, filterForm, h, money, mount, pager, poll, select, table, time } from './ui.js';

const statuses = ['Received', 'Reserving', 'AwaitingApproval', 'Charging', 'Shipping', 'Completing', 'CompletionFailed',
  'Completed', 'Compensating', 'CompensationFailed', 'Cancelled', 'Failed'];
const finished = ['Completed', 'Cancelled', 'Failed'];
const finalEvents = { Cancelled: 'OrderCancelled', Failed: 'OrderFailed' };
const cancellable = ['Received', 'Reserving', 'AwaitingApproval', 'Charging'];
const tokens = [
  ['tok_visa', 'Card approved (tok_visa)'],
  ['tok_decline', 'Card declined (tok_decline)'],
  ['tok_insufficient_funds', 'Insufficient funds'],
  ['tok_transient_2', 'Gateway down twice, then approved'],
];

function demoForm(products, admin) {
  if (!products.length) {
    return h('div', { class: 'panel' },
      h('p', {}, 'The catalogue is empty.'),
      admin ? action('Seed demo data', async () => {
        await api('orders/demo-data', { method: 'POST' });
        announce('Demo data seeded');
        window.dispatchEvent(new HashChangeEvent('hashchange'));
      }) : h('p', {}, 'An operator can seed the demo catalogue.'));
  }
  const lines = h('div', { class: 'lines' });
  const addLine = (sku = products[0].sku, quantity = 1) => {
    const n = lines.children.length + 1;
    lines.append(h('div', { class: 'line' },
      field(`Product ${n}`, select('sku', products.map((p) => [p.sku, `${p.name} (${p.sku}, ${money(p.unitPrice, p.currency)})`]), sku)),
      field(`Quantity ${n}`, h('input', { name: 'quantity', type: 'number', min: 1, max: 1000, value: quantity, required: true }))));
  };
  addLine();
  const form = h('form', {
    class: 'panel order-form',
    onsubmit: async (e) => {
      e.preventDefault();
      form.querySelector('.error')?.remove();
      const data = new FormData(form);
      const skus = data.getAll('sku');
      const quantities = data.getAll('quantity');
      try {
        const accepted = await api('orders', {
          method: 'POST',
          json: {
            lines: skus.map((sku, i) => ({ sku, quantity: Number(quantities[i]) })),
            shippingAddress: { name: data.get('name'), line1: data.get('line1'), city: data.get('city'), postalCode: data.get('postalCode'), country: data.get('country') },
            paymentToken: data.get('paymentToken'),
          },
        });
        location.hash = `#/orders/${accepted.id}`;
      } catch (error) {
        form.append(errorBox(error));
      }
    },
  },
  h('h2', {}, 'Place a demo order'),
  lines,
  h('button', { type: 'button', onclick: () => addLine() }, 'Add a line'),
  field('Payment', select('paymentToken', tokens, 'tok_visa')),
  field('Name', h('input', { name: 'name', value: 'Ada Lovelace', required: true })),
  field('Street', h('input', { name: 'line1', value: '1 Analytical Way', required: true })),
  field('City', h('input', { name: 'city', value: 'London', required: true })),
  field('Postal code (00000: the carrier refuses)', h('input', { name: 'postalCode', value: 'N1 9GU', required: true })),
  field('Country', h('input', { name: 'country', value: 'GB', required: true, maxlength: 2 })),
  h('button', { type: 'submit', class: 'primary' }, 'Place order'));
  return form;
}

/** Where a Failed or Cancelled order waits for an operator (CompletionFailed: its event could not be published). */
const parkedBadge = (o) => (o.parkedIn && o.parkedIn !== o.status ? [' ', badge(o.parkedIn)] : null);

export async function ordersList(view, { signal, admin }, queryString) {
  const params = new URLSearchParams(queryString ?? '');
  const rows = h('tbody');
  const { load, more } = pager('orders', params, signal, (items) => rows.append(...items.map((o) => h('tr', { 'data-order-id': o.id },
    h('td', {}, h('a', { href: `#/orders/${o.id}` }, o.id)), h('td', {}, badge(o.status), parkedBadge(o)), h('td', {}, time(o.createdAt)),
    h('td', {}, money(o.total, o.currency)), h('td', {}, o.skus.join(', '))))));
  const filters = filterForm('orders', params, [],
    field('Status', select('status', [['', 'Any'], ...statuses.map((s) => [s, s])], params.get('status') ?? '')),
    field('SKU', h('input', { name: 'sku', value: params.get('sku') ?? '' })),
    field('Created from', h('input', { name: 'createdFrom', type: 'date', value: params.get('createdFrom') ?? '' })),
    field('Created before', h('input', { name: 'createdTo', type: 'date', value: params.get('createdTo') ?? '' })));

  const products = await api('products', { signal });
  mount(view, h('h1', {}, 'Orders'), h('details', { open: !products.length }, h('summary', {}, 'Place a demo order'), demoForm(products, admin)),
    filters, table(['Order', 'Status', 'Created', 'Total', 'SKUs'], rows), more);
  await load();
}

/** An order command as a click handler: POSTs it, announces `done` and shows the order again. */
const command = (id, path, json, done, refresh) => async () => {
  await api(`orders/${id}/${path}`, { method: 'POST', json });
  announce(done);
  await refresh();
};

function commands(order, admin, refresh) {
  const id = order.id;
  const send = (path, json, done) => command(id, path, json, done, refresh);
  const buttons = [];
  const waiting = !order.parkedIn; // a parked order's view may be behind: what it shows no longer applies
  if (waiting && admin && order.status === 'AwaitingApproval') {
    buttons.push(action('Approve', send('approve', { approved: true }, 'Approval sent'), { class: 'primary' }));
    buttons.push(action('Reject', async () => {
      if (await confirmAction(`Reject order ${id}? It is cancelled and compensated.`, 'Reject')) await send('approve', { approved: false }, 'Rejection sent')();
    }, { class: 'danger' }));
  }
  if (waiting && cancellable.includes(order.status)) {
    buttons.push(action('Cancel order', async () => {
      if (await confirmAction(`Cancel order ${id}? Its steps are undone.`, 'Cancel order')) await send('cancel', undefined, 'Cancel sent')();
    }, { class: 'danger' }));
  }
  if (admin) buttons.push(h('a', { href: `#/workflows/${encodeURIComponent(id)}` }, 'Open its workflow'));
  return h('div', { class: 'actions' }, buttons);
}

/**
 * Parked in its finishing step until an operator resumes it (parkedIn, from the saga itself): CompletionFailed, a decided
 * Failed/Cancelled order whose event could not be published (the view keeps its outcome), or, when the view could not
 * record the park (the outage that parked it), whatever the view last recorded.
 */
function completionPanel(order, admin, refresh) {
  if (order.parkedIn !== 'CompletionFailed') return null;
  const what = finished.includes(order.status)
    ? [`Its outcome (${order.status}) is decided and compensated, but its ${finalEvents[order.status] ?? 'final'} event could not be published after its retries.`,
      'Nothing will be undone again: Resume publishes that same event, then the order ends.']
    : order.status === 'CompletionFailed'
      ? ['Every shipment is booked, but its stock could not be committed or its OrderCompleted event could not be published, even after its retries.',
        'Nothing will be undone: the goods are leaving. Resume retries the step that failed, then the order completes.']
      : ['Its finishing step failed after its retries, and that could not be recorded either: the status and timeline below are behind.',
        'Nothing decided will be undone: Resume retries the step that failed, then the order ends and its record catches up.'];
  return h('div', { class: 'panel parked', 'data-testid': 'completion-failed' },
    h('h3', {}, 'Finishing step failed'),
    ...what.map((text) => h('p', {}, text)),
    admin ? action('Resume', command(order.id, 'resume', undefined, 'Resume sent', refresh), { class: 'primary' })
      : h('p', {}, 'An operator can resume it once the cause is fixed.'));
}

/**
 * Compensations still outstanding: Retry only while the saga waits in CompensationFailed (parkedIn, from the saga
 * itself). The view may be behind either way: it may name none while the order is parked (the outage that parked it),
 * or still name them once a retry has moved the order on.
 */
function compensationPanel(order, admin, refresh) {
  const parked = order.parkedIn === 'CompensationFailed';
  const names = order.outstandingCompensations;
  if (!parked && !names.length) return null;
  return h('div', { class: 'panel outstanding', 'data-testid': 'compensation-failed' },
    h('h3', {}, 'Outstanding compensations'),
    names.length
      ? h('ul', {}, names.map((c) => h('li', {}, JSON.stringify(c))))
      : h('p', {}, 'A compensation failed after its retries, and that could not be recorded either: the status and timeline below are behind.'),
    !parked ? null
      : admin ? action('Retry compensations', command(order.id, 'compensate', undefined, 'Retry sent', refresh), { class: 'primary' })
        : h('p', {}, 'An operator can retry them.'));
}

export async function orderPage(view, { signal, admin }, id) {
  let shown = '';
  const render = (order) => {
    if (JSON.stringify(order) === shown) return; // unchanged: keep the DOM (and the keyboard focus)
    shown = JSON.stringify(order);
    mount(view,
      h('p', {}, h('a', { href: '#/orders' }, '← All orders')),
      h('h1', {}, `Order ${order.id} `, badge(order.status)),
      h('p', {}, `Instance ${order.runtimeStatus} · total ${money(order.total, order.currency)} · created ${time(order.createdAt)}`),
      order.failureReason ? h('p', { class: 'error', 'data-testid': 'failure-reason' }, order.failureReason) : null,
      commands(order, admin, refresh),
      completionPanel(order, admin, refresh),
      h('h2', {}, 'Timeline'),
      h('ol', { class: 'timeline', 'aria-label': 'Steps' }, order.steps.map((s) => h('li', {}, h('span', { class: 'step' }, s.step), ' ', h('time', { datetime: s.at }, time(s.at))))),
      h('h2', {}, 'Compensations'),
      order.compensationsRun.length
        ? h('ul', { class: 'compensations', 'aria-label': 'Compensations run' }, order.compensationsRun.map((c) => h('li', {}, '↩ ', c)))
        : h('p', {}, 'None ran.'),
      compensationPanel(order, admin, refresh),
      h('h2', {}, 'Lines'),
      table(['SKU', 'Product', 'Quantity', 'Unit price', 'Line total'], order.lines.map((l) => h('tr', {},
        h('td', {}, l.sku), h('td', {}, l.name), h('td', {}, l.quantity), h('td', {}, money(l.unitPrice, order.currency)), h('td', {}, money(l.lineTotal, order.currency))))));
  };
  const refresh = async () => render(await api(`orders/${id}`, { signal }));
  await refresh();
  poll(signal, 1500, refresh);
}
