// Marketplace, model detail with its try-it form, playground and forms.
import { h, Component, Fragment, Page, Problem, Field, Table, Copy, fmt, randomKey } from './ui.js';
import { api, upload } from './api.js';

const KINDS = ['text', 'chat', 'assistant', 'workflow', 'embedding', 'image', 'form', 'content'];

export class Marketplace extends Page {
  title() { return 'Marketplace'; }
  fetch() {
    const q = new URLSearchParams({ limit: '100' });
    if (this.q) q.set('q', this.q);
    if (this.kind) q.set('kind', this.kind);
    return api('GET', `/api/marketplace/models?${q}`);
  }
  view(list) {
    return h(Fragment, null,
      h('form', { class: 'filters', role: 'search', onSubmit: e => { e.preventDefault(); const f = new FormData(e.target); this.q = f.get('q'); this.kind = f.get('kind'); this.reload(); } },
        h(Field, { label: 'Search', id: 'mq' }, h('input', { id: 'mq', name: 'q', type: 'search', value: this.q || '' })),
        h(Field, { label: 'Kind', id: 'mkind' }, h('select', { id: 'mkind', name: 'kind' },
          h('option', { value: '' }, 'All kinds'), KINDS.map(k => h('option', { value: k, selected: this.kind === k }, k)))),
        h('button', { type: 'submit' }, 'Filter')),
      h('p', { class: 'muted' }, `${list.total} model${list.total === 1 ? '' : 's'}`),
      h('ul', { class: 'cards' }, list.data.map(m => h('li', { class: 'card' },
        h('h2', null, h('a', { href: `#/models/${encodeURIComponent(m.slug)}` }, m.name)),
        h('p', { class: 'muted' }, `${m.slug} · ${m.kind} · ${m.current_release}`, m.deprecated ? ' · deprecated' : ''),
        h('p', null, m.description),
        h('p', { class: 'muted' }, 'Modes: ', m.modes.join(', '))))));
  }
}

function price(p) {
  if (!p) return '—';
  return Object.entries(p).filter(([, v]) => v !== null && v !== undefined && Number(v) !== 0)
    .map(([k, v]) => `${v} credits ${k.replace(/_/g, ' ')}`).join('; ') || 'free';
}

function exampleOf(schema, name) {
  if (!schema) return {};
  if (schema.examples && schema.examples.length) return schema.examples[0];
  if (schema.default !== undefined) return schema.default;
  switch (schema.type) {
    case 'object': {
      const out = {};
      const props = schema.properties || {};
      if (props.media_ref) return { media_ref: 'media_...', filename: 'photo.png' };
      (schema.required || Object.keys(props)).forEach(k => { if (props[k]) out[k] = exampleOf(props[k], k); });
      return out;
    }
    case 'array': return [exampleOf(schema.items, name)];
    case 'integer': case 'number': return schema.minimum !== undefined ? schema.minimum : 1;
    case 'boolean': return false;
    default: return name === 'text' ? 'Write a one-line summary.' : `your ${name || 'text'}`;
  }
}

export function snippets(slug, mode, contract) {
  const body = { model: slug, mode, ...(contract.vector ? { scope: 'default' } : {}), input: exampleOf(contract.input), params: {} };
  const json = JSON.stringify(body, null, 2);
  return {
    curl: `curl -X POST "$AIMP_GATEWAY_URL/api/runs" \\\n  -H "X-API-Key: $AIMP_API_KEY" \\\n  -H "Content-Type: application/json" \\\n  -d '${json.replace(/'/g, "'\\''")}'`,
    python: `import os, requests\n\nresponse = requests.post(\n    os.environ["AIMP_GATEWAY_URL"] + "/api/runs",\n    headers={"X-API-Key": os.environ["AIMP_API_KEY"]},\n    json=${json.replace(/\bfalse\b/g, 'False').replace(/\btrue\b/g, 'True').replace(/\bnull\b/g, 'None')},\n)\nprint(response.json())`,
    javascript: `const response = await fetch(\`\${process.env.AIMP_GATEWAY_URL}/api/runs\`, {\n  method: "POST",\n  headers: { "X-API-Key": process.env.AIMP_API_KEY, "Content-Type": "application/json" },\n  body: JSON.stringify(${json}),\n});\nconsole.log(await response.json());`
  };
}

function SchemaView({ schema }) {
  if (!schema || !schema.properties) return h('p', { class: 'muted' }, schema && schema.type ? `a ${schema.type}` : 'anything');
  const required = new Set(schema.required || []);
  return h('dl', { class: 'schema' }, Object.entries(schema.properties).map(([k, s]) => h(Fragment, null,
    h('dt', null, h('code', null, k), required.has(k) ? ' (required)' : ''),
    h('dd', null, [s.type === 'array' ? `list of ${(s.items && s.items.type) || 'items'}` : s.type || 'object',
      s.enum ? `, one of ${s.enum.join(', ')}` : '',
      s.minimum !== undefined ? `, ≥ ${s.minimum}` : '', s.maximum !== undefined ? `, ≤ ${s.maximum}` : '',
      s.maxLength !== undefined ? `, up to ${s.maxLength} characters` : '',
      s.description ? ` — ${s.description}` : ''].join('')))));
}

export class ModelDetail extends Page {
  title() { return this.state.data ? this.state.data.name : 'Model'; }
  fetch() { return api('GET', `/api/marketplace/models/${encodeURIComponent(this.props.args[0])}`); }
  view(m) {
    const modes = Object.entries(m.contract || {});
    const current = (m.releases || []).find(r => r.current) || {};
    return h(Fragment, null,
      h('p', { class: 'muted' }, `${m.slug} · ${m.kind} · release ${m.current_release}`),
      m.deprecated && h('p', { class: 'notice', role: 'note' }, `Deprecated: ${current.deprecated || 'a newer release is available'}`),
      h('p', null, m.description),
      h('h2', null, 'Pricing and limits'),
      h('p', null, price(m.pricing)),
      current.limits && h('p', { class: 'muted' }, 'Limits: ', Object.entries(current.limits).filter(([, v]) => v !== null)
        .map(([k, v]) => `${k.replace(/_/g, ' ')} ${v}`).join('; ')),
      h('h2', null, 'Modes'),
      modes.map(([name, c]) => h('section', { class: 'mode', 'aria-labelledby': `mode-${name}` },
        h('h3', { id: `mode-${name}` }, name, c.vector ? ' (vector: needs a scope)' : ''),
        c.description && h('p', null, c.description),
        h('h4', null, 'Input'), h(SchemaView, { schema: c.input }),
        h('h4', null, 'Output'), h(SchemaView, { schema: c.output }),
        h(Snippets, { slug: m.slug, mode: name, contract: c }))),
      h('h2', null, 'Try it'),
      h(TryIt, { model: m }),
      h('h2', null, 'Release history'),
      h(Table, {
        caption: 'Releases', rows: m.releases, columns: [
          { label: 'Version', key: 'version' }, { label: 'Hardware', key: 'hardware_tier' },
          { label: 'Pricing', cell: r => price(r.pricing) },
          { label: 'Status', cell: r => r.retired ? 'retired' : r.deprecated ? `deprecated: ${r.deprecated}` : r.current ? 'current' : 'available' },
          { label: 'Sunset', key: 'sunset' }]
      }));
  }
}

class Snippets extends Component {
  constructor(props) { super(props); this.state = { lang: 'curl' }; }
  render() {
    const all = snippets(this.props.slug, this.props.mode, this.props.contract);
    const id = `snip-${this.props.mode}`;
    return h('div', { class: 'snippets' },
      h('div', { role: 'group', 'aria-label': `Code for ${this.props.mode}` }, Object.keys(all).map(lang =>
        h('button', { type: 'button', class: lang === this.state.lang ? '' : 'secondary', 'aria-pressed': String(lang === this.state.lang), onClick: () => this.setState({ lang }) }, lang))),
      h('pre', { id, tabIndex: 0, 'aria-label': `${this.state.lang} example` }, h('code', null, all[this.state.lang])),
      h(Copy, { text: all[this.state.lang], label: `Copy the ${this.state.lang} example` }, 'Copy code'));
  }
}

/** Renders one input field per property of the mode's input schema; media fields upload first. */
export class TryIt extends Component {
  constructor(props) {
    super(props);
    const modes = Object.keys(props.model.contract || {});
    this.state = { mode: props.mode || modes[0], run: null, error: null, busy: false, progress: null };
  }
  async submit(e) {
    e.preventDefault();
    const form = e.target;
    const c = this.props.model.contract[this.state.mode];
    this.setState({ busy: true, error: null, run: null });
    try {
      // read every plain field before the first await: a re-render while uploading must not change what is sent
      const scope = form.elements['try-scope'] ? form.elements['try-scope'].value : '';
      const input = {};
      for (const [k, s] of Object.entries((c.input && c.input.properties) || {})) {
        const el = form.elements[`in-${k}`];
        if (!el) continue;
        if (el.type === 'file') {
          if (el.files.length) {
            const media = await upload(el.files[0], p => this.setState({ progress: p }));
            input[k] = { media_ref: media.media_ref, filename: el.files[0].name };
          }
        } else if (el.type === 'checkbox') {
          input[k] = el.checked;
        } else if (el.value !== '') {
          input[k] = s.type === 'integer' || s.type === 'number' ? Number(el.value)
            : s.type === 'string' ? el.value : JSON.parse(el.value);
        }
      }
      const body = { model: this.props.model.slug, mode: this.state.mode, input, params: {} };
      if (scope) body.scope = scope;
      const run = await api('POST', '/api/runs', body, { 'Idempotency-Key': randomKey() });
      this.setState({ run, busy: false });
      if (this.props.onRun) this.props.onRun(run);
    } catch (err) {
      this.setState({ error: err instanceof SyntaxError ? new Error(`not valid JSON: ${err.message}`) : err, busy: false });
    }
  }
  render() {
    const m = this.props.model;
    const c = m.contract[this.state.mode] || {};
    const props = (c.input && c.input.properties) || {};
    const required = new Set((c.input && c.input.required) || []);
    const prefix = this.props.idPrefix || 'try';
    return h('form', { class: 'tryit', onSubmit: e => this.submit(e), 'aria-label': `Run ${m.name}` },
      Object.keys(m.contract).length > 1 && h(Field, { label: 'Mode', id: `${prefix}-mode` },
        h('select', { id: `${prefix}-mode`, onChange: e => this.setState({ mode: e.target.value, run: null }) },
          Object.keys(m.contract).map(k => h('option', { value: k, selected: k === this.state.mode }, k)))),
      c.vector && h(Field, { label: 'Scope', id: `${prefix}-scope` }, h('input', { id: `${prefix}-scope`, name: 'try-scope', required: true, pattern: '[A-Za-z0-9][A-Za-z0-9._-]{0,63}', defaultValue: 'default' })),
      Object.entries(props).map(([k, s]) => {
        const id = `${prefix}-in-${k}`;
        const label = `${k}${required.has(k) ? ' (required)' : ''}`;
        const media = s.type === 'object' && s.properties && s.properties.media_ref;
        if (media) return h(Field, { label, id, hint: 'Uploaded through the media flow first' }, h('input', { id, name: `in-${k}`, type: 'file', required: required.has(k) }));
        if (s.type === 'boolean') return h(Field, { label, id }, h('input', { id, name: `in-${k}`, type: 'checkbox' }));
        if (s.type === 'integer' || s.type === 'number') return h(Field, { label, id, hint: s.description }, h('input', { id, name: `in-${k}`, type: 'number', step: s.type === 'integer' ? 1 : 'any', min: s.minimum, max: s.maximum, required: required.has(k) }));
        if (s.type === 'string' && s.enum) return h(Field, { label, id }, h('select', { id, name: `in-${k}` }, s.enum.map(v => h('option', { value: v }, v))));
        if (s.type === 'string') return h(Field, { label, id, hint: s.description }, h('textarea', { id, name: `in-${k}`, rows: 4, maxLength: s.maxLength, required: required.has(k) }));
        return h(Field, { label, id, hint: 'JSON, e.g. ' + JSON.stringify(exampleOf(s, k)) }, h('textarea', { id, name: `in-${k}`, rows: 3, required: required.has(k), class: 'mono' }));
      }),
      this.state.progress !== null && this.state.busy && h('progress', { max: 1, value: this.state.progress, 'aria-label': 'Upload progress' }),
      h('button', { type: 'submit', disabled: this.state.busy }, this.state.busy ? 'Running…' : 'Run'),
      h(Problem, { error: this.state.error }),
      this.state.run && h(RunResult, { run: this.state.run }));
  }
}

function usage(u) {
  if (!u || typeof u !== 'object') return fmt(u);
  return Object.entries(u).filter(([, v]) => v !== null && v !== false)
    .map(([k, v]) => v === true ? k.replace(/_/g, ' ') : `${v} ${k.replace(/_/g, ' ')}`).join(', ');
}

export function RunResult({ run }) {
  return h('section', { class: 'result', 'aria-label': 'Run result' },
    h('p', null, h('strong', null, 'Status: '), h('span', { class: `status-${run.status}` }, run.status),
      ' · ', h('a', { href: `#/run/${run.id}` }, run.id)),
    h('h3', null, 'Output'),
    h('pre', { class: 'output', tabIndex: 0 }, typeof run.output === 'object' ? JSON.stringify(run.output, null, 2) : fmt(run.output)),
    h('dl', { class: 'inline' },
      h('dt', null, 'Usage'), h('dd', { class: 'usage' }, usage(run.usage)),
      h('dt', null, 'Cost'), h('dd', { class: 'cost' }, run.cost && typeof run.cost === 'object' ? `${run.cost.credits ?? fmt(run.cost)} credits` : `${fmt(run.cost)} credits`),
      h('dt', null, 'Duration'), h('dd', null, `${fmt(run.duration_ms)} ms`)));
}

/** Runs one model and mode (side-by-side comparison needs the playground API). */
export class Playground extends Page {
  title() { return 'Playground'; }
  fetch() { return api('GET', '/api/marketplace/models?limit=100'); }
  view(list) {
    const slug = this.selected || (list.data[0] && list.data[0].slug);
    return h(Fragment, null,
      h(Field, { label: 'Model', id: 'pg-model' }, h('select', { id: 'pg-model', onChange: async e => { this.selected = e.target.value; this.setState({ model: null }); this.load(); } },
        list.data.map(m => h('option', { value: m.slug, selected: m.slug === slug }, `${m.name} (${m.slug})`)))),
      this.state.model ? h(TryIt, { model: this.state.model, key: this.state.model.slug, idPrefix: 'pg' }) : h('p', { class: 'muted' }, 'Loading the model…'));
  }
  componentDidMount() { super.componentDidMount(); }
  componentDidUpdate(prev, prevState) {
    super.componentDidUpdate(prev);
    if (this.state.data && !this.state.model && !this.loading) this.load();
  }
  async load() {
    const slug = this.selected || (this.state.data.data[0] && this.state.data.data[0].slug);
    if (!slug) return;
    this.loading = true;
    try { this.setState({ model: await api('GET', `/api/marketplace/models/${encodeURIComponent(slug)}`) }); }
    catch (error) { this.setState({ error }); }
    finally { this.loading = false; }
  }
}

/** Form models, rendered from /api/forms/{slug}. */
export class Forms extends Page {
  title() { return 'Forms'; }
  async fetch() {
    const list = await api('GET', '/api/marketplace/models?kind=form&limit=100');
    const forms = [];
    for (const m of list.data) {
      try { forms.push({ model: m, form: await api('GET', `/api/forms/${encodeURIComponent(m.slug)}`) }); }
      catch (error) { forms.push({ model: m, error }); }
    }
    return forms;
  }
  view(forms) {
    if (!forms.length) return h('p', { class: 'muted' }, 'No form models are published to this workspace.');
    return forms.map(({ model, form, error }) => h('section', { class: 'card' },
      h('h2', null, model.name),
      error ? h(Problem, { error }) : h('dl', null, ((form && form.fields) || []).map(f => h(Fragment, null,
        h('dt', null, f.label || f.name), h('dd', null, `${f.type || ''}${f.required ? ', required' : ''}`))))));
  }
}
