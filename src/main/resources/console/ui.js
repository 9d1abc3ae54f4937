// Small view helpers over Preact's h() (no JSX, no build step).
import { h, Component, Fragment, render, createRef } from './lib/preact/10.25.4/dist/preact.module.js';
import { ApiError } from './api.js';

export { h, Component, Fragment, render, createRef };

/** A page that loads data when shown: subclasses implement fetch() and view(data). */
export class Page extends Component {
  constructor(props) {
    super(props);
    this.state = { data: null, error: null, busy: true };
  }
  componentDidMount() { this.reload(); }
  componentDidUpdate(prev) { if (prev.path !== this.props.path) this.reload(); }
  async reload() {
    this.setState({ busy: true, error: null });
    try { this.setState({ data: await this.fetch(), busy: false }); }
    catch (e) { this.setState({ error: e, busy: false }); }
  }
  render() {
    const { data, error, busy } = this.state;
    return h(Fragment, null,
      h('h1', { tabIndex: -1, id: 'page-title' }, this.title()),
      error && h(Problem, { error }),
      busy && !data ? h('p', { class: 'muted' }, 'Loading…') : data && this.view(data));
  }
}

export function Problem({ error }) {
  if (!error) return null;
  const p = error instanceof ApiError ? error.problem : {};
  return h('div', { class: 'problem', role: 'alert' },
    h('strong', null, p.title || 'Something went wrong'), ' ',
    h('span', null, error.message),
    p.code && h('span', { class: 'muted' }, ` (${p.code})`),
    p.errors && h('ul', null, p.errors.map(e => h('li', null, `${e.path}: ${e.detail || e.message || ''}`))));
}

export function Field({ label, id, hint, children }) {
  return h('div', { class: 'field' },
    h('label', { for: id }, label),
    children,
    hint && h('small', { id: `${id}-hint`, class: 'muted' }, hint));
}

export function Table({ caption, columns, rows, empty }) {
  if (!rows || rows.length === 0) return h('p', { class: 'muted' }, empty || 'Nothing here yet.');
  return h('div', { class: 'table-wrap', tabIndex: 0, role: 'region', 'aria-label': caption },
    h('table', null,
      h('caption', null, caption),
      h('thead', null, h('tr', null, columns.map(c => h('th', { scope: 'col' }, c.label)))),
      h('tbody', null, rows.map(r => h('tr', null, columns.map(c => h('td', null, c.cell ? c.cell(r) : fmt(r[c.key]))))))));
}

export function fmt(v) {
  if (v === null || v === undefined || v === '') return '—';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

export function when(iso) {
  return iso ? new Date(iso).toLocaleString() : '—';
}

/** A copy-to-clipboard button for {@code text}. */
export class Copy extends Component {
  constructor(props) { super(props); this.state = { copied: false }; }
  render() {
    return h('button', {
      type: 'button', class: 'secondary', 'aria-label': this.props.label || 'Copy',
      onClick: async () => {
        try { await navigator.clipboard.writeText(this.props.text); this.setState({ copied: true }); }
        catch { this.setState({ copied: false }); }
      }
    }, this.state.copied ? 'Copied' : (this.props.children || 'Copy'));
  }
}

export function Pager({ offset, limit, count, onPage }) {
  return h('nav', { class: 'pager', 'aria-label': 'Pages' },
    h('button', { type: 'button', class: 'secondary', disabled: offset === 0, onClick: () => onPage(Math.max(0, offset - limit)) }, 'Previous'),
    h('span', null, ` ${offset + 1}–${offset + count} `),
    h('button', { type: 'button', class: 'secondary', disabled: count < limit, onClick: () => onPage(offset + limit) }, 'Next'));
}

export function formValues(form) {
  return Object.fromEntries(new FormData(form).entries());
}

export function randomKey() {
  return crypto.randomUUID();
}
