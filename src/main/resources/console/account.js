// Keys, wallet and usage graphs.
import { h, Component, Fragment, Page, Problem, Field, Table, Copy, when, fmt, randomKey, createRef } from './ui.js';
import { api } from './api.js';
import uPlot from './lib/uplot/1.6.30/dist/uPlot.esm.js';

const ROLES = ['owner', 'admin', 'developer', 'member', 'viewer'];

export class Keys extends Page {
  title() { return 'API keys'; }
  fetch() { return api('GET', '/api/keys'); }
  async create(e) {
    e.preventDefault();
    const f = new FormData(e.target);
    const body = { name: f.get('name'), role: f.get('role') };
    const models = String(f.get('models') || '').split(',').map(s => s.trim()).filter(Boolean);
    if (models.length) body.models = models;
    if (f.get('expires')) body.expires_at = new Date(`${f.get('expires')}T23:59:59Z`).toISOString();
    try {
      const created = await api('POST', '/api/keys', body);
      e.target.reset();
      this.setState({ created, createError: null });
      this.reload();
    } catch (err) { this.setState({ createError: err }); }
  }
  async revoke(key) {
    if (!confirm(`Revoke the key "${key.name}"? Clients using it stop working at once.`)) return;
    try { await api('DELETE', `/api/keys/${encodeURIComponent(key.id)}`); this.reload(); }
    catch (error) { this.setState({ error }); }
  }
  view(list) {
    const user = this.props.user;
    const canManage = user.can && user.can.manage_keys;
    const mine = ROLES.indexOf(user.role);
    return h(Fragment, null,
      canManage ? h('section', { 'aria-labelledby': 'new-key' },
        h('h2', { id: 'new-key' }, 'Create a key'),
        h('form', { id: 'key-form', class: 'grid', onSubmit: e => this.create(e) },
          h(Field, { label: 'Name', id: 'key-name' }, h('input', { id: 'key-name', name: 'name', required: true, maxLength: 100 })),
          h(Field, { label: 'Role', id: 'key-role', hint: 'never higher than yours' }, h('select', { id: 'key-role', name: 'role' },
            ROLES.slice(mine).map(r => h('option', { value: r, selected: r === 'member' }, r)))),
          h(Field, { label: 'Models (comma-separated; empty for all)', id: 'key-models' }, h('input', { id: 'key-models', name: 'models' })),
          h(Field, { label: 'Expires on', id: 'key-expires' }, h('input', { id: 'key-expires', name: 'expires', type: 'date' })),
          h('button', { type: 'submit' }, 'Create key')),
        h(Problem, { error: this.state.createError }),
        this.state.created && h('div', { class: 'secret', role: 'status' },
          h('p', null, h('strong', null, 'Copy this secret now: it is shown only once.')),
          h('code', { id: 'new-secret' }, this.state.created.secret), ' ',
          h(Copy, { text: this.state.created.secret, label: 'Copy the secret' }))) : null,
      h('h2', null, 'Keys'),
      h(Table, {
        caption: 'API keys of this workspace', rows: list.data, columns: [
          { label: 'Name', key: 'name' }, { label: 'Prefix', cell: k => h('code', null, k.prefix) },
          { label: 'Role', key: 'role' }, { label: 'Models', cell: k => k.models && k.models.length ? k.models.join(', ') : 'all' },
          { label: 'Expires', cell: k => when(k.expires_at) }, { label: 'Last used', cell: k => when(k.last_used_at) },
          { label: 'Created', cell: k => when(k.created_at) },
          { label: 'Actions', cell: k => canManage ? h('button', { type: 'button', class: 'danger', onClick: () => this.revoke(k), 'aria-label': `Revoke ${k.name}` }, 'Revoke') : '—' }]
      }));
  }
}

export class Wallet extends Page {
  title() { return 'Wallet'; }
  async fetch() {
    const can = this.props.user.can || {};
    const [wallet, ledger] = await Promise.all([api('GET', '/api/billing/wallet'),
      can.view_ledger ? api('GET', '/api/billing/ledger?limit=20') : Promise.resolve(null)]);
    return { wallet, ledger };
  }
  async topUp(e) {
    e.preventDefault();
    const f = new FormData(e.target);
    try {
      await api('POST', '/api/billing/wallet/credits', { amount: String(f.get('amount')), reason: f.get('reason') || 'top-up from the console' },
        { 'Idempotency-Key': randomKey() });
      e.target.reset();
      this.setState({ topUpError: null });
      this.reload();
    } catch (err) { this.setState({ topUpError: err }); }
  }
  view({ wallet, ledger }) {
    const can = this.props.user.can || {};
    return h(Fragment, null,
      h('dl', { class: 'stats' },
        h('div', null, h('dt', null, 'Balance'), h('dd', { id: 'balance' }, wallet.balance)),
        h('div', null, h('dt', null, 'Reserved'), h('dd', null, wallet.reserved)),
        h('div', null, h('dt', null, 'Available'), h('dd', null, wallet.available))),
      can.manage_billing && h('form', { id: 'topup-form', class: 'grid', onSubmit: e => this.topUp(e), 'aria-label': 'Top up' },
        h(Field, { label: 'Credits to add', id: 'topup-amount' }, h('input', { id: 'topup-amount', name: 'amount', required: true, inputMode: 'decimal', pattern: '[0-9]+(\\.[0-9]{1,6})?' })),
        h(Field, { label: 'Reason', id: 'topup-reason' }, h('input', { id: 'topup-reason', name: 'reason', maxLength: 200 })),
        h('button', { type: 'submit' }, 'Add credits')),
      h(Problem, { error: this.state.topUpError }),
      ledger && h(Fragment, null, h('h2', null, 'Ledger'),
        h(Table, {
          caption: 'Latest ledger entries', rows: ledger.data, columns: [
            { label: 'When', cell: e => when(e.created_at) }, { label: 'Kind', key: 'kind' },
            { label: 'Amount', key: 'amount' }, { label: 'Balance after', key: 'balance_after' },
            { label: 'Reason', key: 'reason' }, { label: 'Run', cell: e => e.run_id ? h('a', { href: `#/run/${e.run_id}` }, e.run_id) : '—' }]
        })));
  }
}

const RANGES = { '24h': { ms: 86400000, interval: 'hour' }, '7d': { ms: 7 * 86400000, interval: 'hour' }, '30d': { ms: 30 * 86400000, interval: 'day' } };
const METRICS = [
  { key: 'runs', label: 'Runs', value: r => r.runs },
  { key: 'tokens', label: 'Tokens', value: r => (r.input_tokens || 0) + (r.output_tokens || 0) },
  { key: 'credits', label: 'Credits', value: r => Number(r.credits) },
  { key: 'errors', label: 'Errors', value: r => r.failed }
];
const COLORS = ['#0b57d0', '#b3261e', '#146c2e', '#7d5260', '#8a4b00', '#00677f'];

export class Usage extends Page {
  title() { return 'Usage'; }
  fetch() {
    const range = RANGES[this.range || '24h'];
    const to = new Date();
    const q = new URLSearchParams({ interval: range.interval, group_by: this.group || 'model', from: new Date(to - range.ms).toISOString(), to: to.toISOString() });
    return api('GET', `/api/stats/usage?${q}`);
  }
  view(stats) {
    return h(Fragment, null,
      h('form', { class: 'filters', onSubmit: e => { e.preventDefault(); const f = new FormData(e.target); this.range = f.get('range'); this.group = f.get('group'); this.reload(); } },
        h(Field, { label: 'Time range', id: 'u-range' }, h('select', { id: 'u-range', name: 'range' },
          Object.keys(RANGES).map(k => h('option', { value: k, selected: k === (this.range || '24h') }, `last ${k}`)))),
        h(Field, { label: 'By', id: 'u-group' }, h('select', { id: 'u-group', name: 'group' },
          ['model', 'key', 'status'].map(k => h('option', { value: k, selected: k === (this.group || 'model') }, k)))),
        h('button', { type: 'submit' }, 'Show')),
      stats.data.length === 0 && h('p', { class: 'muted' }, 'No runs in this range yet.'),
      h('div', { class: 'charts' }, METRICS.map(m => h(Chart, { key: `${m.key}-${this.range}-${this.group}`, metric: m, stats }))));
  }
}

class Chart extends Component {
  constructor(props) { super(props); this.box = createRef(); }
  componentDidMount() { this.draw(); }
  componentDidUpdate() { this.draw(); }
  componentWillUnmount() { if (this.plot) this.plot.destroy(); }
  draw() {
    if (this.plot) this.plot.destroy();
    const { stats, metric } = this.props;
    const group = stats.group_by;
    // every bucket of the range, so that hours without runs draw as zero
    const step = stats.interval === 'day' ? 86400 : 3600;
    const first = Math.floor(Date.parse(stats.from) / 1000 / step) * step;
    const times = [];
    for (let t = first; t <= Date.parse(stats.to) / 1000; t += step) times.push(t);
    stats.data.forEach(r => { const t = Date.parse(r.bucket_start) / 1000; if (!times.includes(t)) times.push(t); });
    times.sort((a, b) => a - b);
    const groups = [...new Set(stats.data.map(r => r[group] || '(none)'))];
    const series = groups.map(g => times.map(t => {
      const row = stats.data.find(r => (r[group] || '(none)') === g && Date.parse(r.bucket_start) / 1000 === t);
      return row ? metric.value(row) : 0;
    }));
    const width = Math.max(280, Math.min(560, this.box.current.clientWidth || 560));
    this.plot = new uPlot({
      width, height: 200, title: metric.label,
      series: [{}, ...groups.map((g, i) => ({ label: g, stroke: COLORS[i % COLORS.length], width: 2, points: { show: true, size: 6, fill: COLORS[i % COLORS.length] } }))],
      axes: [{}, {}]
    }, [times, ...series], this.box.current);
  }
  render() {
    return h('figure', { class: 'chart', 'data-metric': this.props.metric.key },
      h('div', { ref: this.box, role: 'img', 'aria-label': `${this.props.metric.label} over time` }),
      h('figcaption', null, `${this.props.metric.label} per ${this.props.stats.interval}, by ${this.props.stats.group_by}`));
  }
}

export class Members extends Page {
  title() { return 'Members'; }
  async fetch() {
    const [members, invitations] = await Promise.all([api('GET', '/api/members'), api('GET', '/api/invitations')]);
    return { members: members.data, invitations: invitations.data };
  }
  async invite(e) {
    e.preventDefault();
    const f = new FormData(e.target);
    try {
      const invitation = await api('POST', '/api/members', { email: f.get('email'), name: f.get('name'), role: f.get('role') });
      e.target.reset();
      this.setState({ invitation, inviteError: null });
      this.reload();
    } catch (err) { this.setState({ inviteError: err }); }
  }
  async act(method, path, body, question) {
    if (question && !confirm(question)) return;
    try { await api(method, path, body); this.reload(); } catch (error) { this.setState({ error }); }
  }
  view({ members, invitations }) {
    const mine = ROLES.indexOf(this.props.user.role);
    const inv = this.state.invitation;
    return h(Fragment, null,
      h('section', { 'aria-labelledby': 'invite-title' },
        h('h2', { id: 'invite-title' }, 'Invite someone'),
        h('form', { id: 'invite-member', class: 'grid', onSubmit: e => this.invite(e) },
          h(Field, { label: 'E-mail', id: 'm-email' }, h('input', { id: 'm-email', name: 'email', type: 'email', required: true })),
          h(Field, { label: 'Name', id: 'm-name' }, h('input', { id: 'm-name', name: 'name', required: true })),
          h(Field, { label: 'Role', id: 'm-role' }, h('select', { id: 'm-role', name: 'role' },
            ROLES.slice(mine).map(r => h('option', { value: r, selected: r === 'member' }, r)))),
          h('button', { type: 'submit' }, 'Invite')),
        h(Problem, { error: this.state.inviteError }),
        inv && h('div', { class: 'secret', role: 'status' },
          h('p', null, h('strong', null, 'Send this link to the invitee: it is shown only once.')),
          h('code', { id: 'invite-url' }, inv.accept_url), ' ', h(Copy, { text: inv.accept_url, label: 'Copy the invitation link' }))),
      h('h2', null, 'Members'),
      h(Table, {
        caption: 'Members of this workspace', rows: members, columns: [
          { label: 'E-mail', key: 'email' }, { label: 'Name', key: 'name' },
          { label: 'Role', cell: m => h('select', { 'aria-label': `Role of ${m.email}`, onChange: e => this.act('PATCH', `/api/members/${encodeURIComponent(m.user_id)}`, { role: e.target.value }) },
            ROLES.map(r => h('option', { value: r, selected: r === m.role, disabled: ROLES.indexOf(r) < mine }, r))) },
          { label: 'Since', cell: m => when(m.created_at) },
          { label: 'Actions', cell: m => h('button', { type: 'button', class: 'danger', 'aria-label': `Remove ${m.email}`,
            onClick: () => this.act('DELETE', `/api/members/${encodeURIComponent(m.user_id)}`, undefined, `Remove ${m.email} from the workspace?`) }, 'Remove') }]
      }),
      h('h2', null, 'Pending invitations'),
      h(Table, {
        caption: 'Pending invitations', rows: invitations, empty: 'No pending invitations.', columns: [
          { label: 'E-mail', key: 'email' }, { label: 'Role', key: 'role' }, { label: 'Expires', cell: i => when(i.expires_at) },
          { label: 'Actions', cell: i => h('button', { type: 'button', class: 'danger', 'aria-label': `Withdraw the invitation of ${i.email}`,
            onClick: () => this.act('DELETE', `/api/invitations/${encodeURIComponent(i.id)}`) }, 'Withdraw') }]
      }));
  }
}

const LIMITS = [
  { key: 'requests_per_minute', label: 'Requests per minute' }, { key: 'tokens_per_minute', label: 'Tokens per minute' },
  { key: 'concurrent_runs', label: 'Concurrent runs' }, { key: 'daily_credits', label: 'Credits per day', credits: true },
  { key: 'monthly_credits', label: 'Credits per month', credits: true }, { key: 'images_per_minute', label: 'Images per minute' },
  { key: 'images_per_day', label: 'Images per day' }];

/** Limit overrides of the workspace or of one key; an empty field falls back to the default. */
export class Limits extends Page {
  title() { return 'Limits'; }
  async fetch() {
    const keys = await api('GET', '/api/keys');
    const path = this.keyId ? `/api/keys/${encodeURIComponent(this.keyId)}/limits` : '/api/limits';
    return { keys: keys.data, limits: await api('GET', path), path };
  }
  async save(e, path) {
    e.preventDefault();
    const f = new FormData(e.target);
    const body = {};
    LIMITS.forEach(l => {
      const v = String(f.get(l.key) || '').trim();
      body[l.key] = v === '' ? null : l.credits ? v : Number(v);
    });
    try { await api('PUT', path, body); this.setState({ saveError: null, saved: true }); this.reload(); }
    catch (err) { this.setState({ saveError: err, saved: false }); }
  }
  view({ keys, limits, path }) {
    const override = limits.override || {};
    return h(Fragment, null,
      h(Field, { label: 'Limits of', id: 'limits-scope' }, h('select', { id: 'limits-scope', onChange: e => { this.keyId = e.target.value; this.setState({ saved: false }); this.reload(); } },
        h('option', { value: '' }, 'the workspace'),
        keys.map(k => h('option', { value: k.id, selected: k.id === this.keyId }, `key ${k.name} (${k.prefix})`)))),
      h('form', { id: 'limits-form', class: 'grid', key: path, onSubmit: e => this.save(e, path) },
        LIMITS.map(l => h(Field, { label: l.label, id: `lim-${l.key}`, hint: `in effect: ${fmt(limits.effective[l.key])}` },
          h('input', { id: `lim-${l.key}`, name: l.key, inputMode: l.credits ? 'decimal' : 'numeric', defaultValue: override[l.key] ?? '',
            pattern: l.credits ? '[0-9]+(\\.[0-9]{1,6})?' : '[0-9]+' }))),
        h('button', { type: 'submit' }, 'Save limits')),
      this.state.saved && h('p', { role: 'status' }, 'Saved.'),
      h(Problem, { error: this.state.saveError }));
  }
}
