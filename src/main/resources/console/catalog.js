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

const credits = c => c && typeof c === 'object' ? `${c.credits ?? fmt(c)} credits` : `${fmt(c)} credits`;

function parseJson(text, path) {
  if (!text || !text.trim()) return undefined;
  try { return JSON.parse(text); }
  catch (e) { throw new Error(`${path}: not valid JSON (${e.message})`); }
}

/**
 * Compares 2 to 8 targets (model, mode, release, params, overrides) on one input, side by side, and runs
 * evaluation suites against the same targets (POST /api/playground/compare and /evaluations).
 */
export class Playground extends Page {
  constructor(props) {
    super(props);
    this.state = { ...this.state, targets: [this.blank(), this.blank()], comparison: null, report: null, running: null, runError: null };
  }
  title() { return 'Playground'; }
  fetch() { return api('GET', '/api/marketplace/models?limit=100'); }
  blank() { return { model: '', mode: '', release: '', params: '', overrides: '' }; }
  edit(i, field, value) {
    const targets = this.state.targets.map((t, j) => j === i ? { ...t, [field]: value } : t);
    this.setState({ targets });
  }
  targets(models) {
    return this.state.targets.map((t, i) => {
      const target = { model: t.model || (models[0] && models[0].slug) };
      if (t.mode.trim()) target.mode = t.mode.trim();
      if (t.release.trim()) target.release = t.release.trim();
      const params = parseJson(t.params, `target ${i + 1} params`);
      if (params !== undefined) target.params = params;
      const overrides = parseJson(t.overrides, `target ${i + 1} overrides`);
      if (overrides !== undefined) target.overrides = overrides;
      return target;
    });
  }
  async compare(e, models) {
    e.preventDefault();
    const inputText = e.target.elements['pg-input'].value;
    this.setState({ running: 'compare', runError: null, comparison: null });
    try {
      const body = { input: parseJson(inputText, 'input') || {}, targets: this.targets(models) };
      this.setState({ comparison: await api('POST', '/api/playground/compare', body), running: null });
    } catch (runError) { this.setState({ runError, running: null }); }
  }
  async evaluate(e, models) {
    e.preventDefault();
    const casesText = e.target.elements['pg-cases'].value;
    this.setState({ running: 'evaluate', runError: null, report: null });
    try {
      const cases = parseJson(casesText, 'cases');
      const body = { targets: this.targets(models), cases: Array.isArray(cases) ? cases : (cases && cases.cases) || [] };
      this.setState({ report: await api('POST', '/api/playground/evaluations', body), running: null });
    } catch (runError) { this.setState({ runError, running: null }); }
  }
  view(list) {
    const models = list.data;
    const { targets, running } = this.state;
    return h(Fragment, null,
      h('section', { 'aria-labelledby': 'pg-targets-title' },
        h('h2', { id: 'pg-targets-title' }, 'Targets'),
        h('ol', { class: 'targets' }, targets.map((t, i) => h('li', { class: 'card target' },
          h('div', { class: 'grid' },
            h(Field, { label: `Model ${i + 1}`, id: `pg-t${i}-model` },
              h('select', { id: `pg-t${i}-model`, onChange: e => this.edit(i, 'model', e.target.value) },
                models.map(m => h('option', { value: m.slug, selected: m.slug === (t.model || models[0].slug) }, `${m.name} (${m.slug})`)))),
            h(Field, { label: `Mode ${i + 1}`, id: `pg-t${i}-mode` }, h('input', { id: `pg-t${i}-mode`, value: t.mode, placeholder: 'execute', onInput: e => this.edit(i, 'mode', e.target.value) })),
            h(Field, { label: `Release ${i + 1}`, id: `pg-t${i}-release` }, h('input', { id: `pg-t${i}-release`, value: t.release, placeholder: 'current', onInput: e => this.edit(i, 'release', e.target.value) }))),
          h(Field, { label: `Params ${i + 1} (JSON)`, id: `pg-t${i}-params` }, h('textarea', { id: `pg-t${i}-params`, class: 'mono', rows: 2, value: t.params, onInput: e => this.edit(i, 'params', e.target.value) })),
          h(Field, { label: `Overrides ${i + 1} (JSON: prompt, system, persona, instructions)`, id: `pg-t${i}-overrides` },
            h('textarea', { id: `pg-t${i}-overrides`, class: 'mono', rows: 2, value: t.overrides, onInput: e => this.edit(i, 'overrides', e.target.value) })),
          targets.length > 1 && h('button', { type: 'button', class: 'secondary', 'aria-label': `Remove target ${i + 1}`,
            onClick: () => this.setState({ targets: targets.filter((_, j) => j !== i) }) }, 'Remove')))),
        h('button', { type: 'button', class: 'secondary', id: 'pg-add', disabled: targets.length >= 8,
          onClick: () => this.setState({ targets: [...targets, this.blank()] }) }, 'Add a target')),
      h(Problem, { error: this.state.runError }),
      h('section', { 'aria-labelledby': 'pg-compare-title' },
        h('h2', { id: 'pg-compare-title' }, 'Compare'),
        h('form', { id: 'pg-compare', onSubmit: e => this.compare(e, models) },
          h(Field, { label: 'Input (JSON, checked against each target\'s mode)', id: 'pg-input' },
            h('textarea', { id: 'pg-input', name: 'pg-input', class: 'mono', rows: 4, required: true, defaultValue: '{"text": ""}' })),
          h('button', { type: 'submit', disabled: !!running || targets.length < 2 }, running === 'compare' ? 'Comparing…' : 'Compare')),
        this.state.comparison && h(Comparison, { comparison: this.state.comparison })),
      h('section', { 'aria-labelledby': 'pg-eval-title' },
        h('h2', { id: 'pg-eval-title' }, 'Evaluation suite'),
        h('form', { id: 'pg-evaluate', onSubmit: e => this.evaluate(e, models) },
          h(Field, { label: 'Cases (JSON list of {name, input, params, expect})', id: 'pg-cases',
            hint: 'Expectations: contains, not_contains, regex, json_schema, equals, max_cost, max_latency_ms, tool_called, citations_include, judge' },
            h('textarea', { id: 'pg-cases', name: 'pg-cases', class: 'mono', rows: 6, required: true,
              defaultValue: '[{"name": "first", "input": {"text": ""}, "expect": {"contains": ""}}]' })),
          h('button', { type: 'submit', disabled: !!running }, running === 'evaluate' ? 'Evaluating…' : 'Run the suite')),
        this.state.report && h(Report, { report: this.state.report })));
  }
}

function Comparison({ comparison }) {
  return h('div', { id: 'pg-results', 'aria-live': 'polite' },
    h('p', null, `${comparison.succeeded} succeeded, ${comparison.failed} failed · total `, h('span', { id: 'pg-total' }, credits(comparison.total_cost))),
    h('ul', { class: 'cards side-by-side' }, comparison.results.map(r => h('li', { class: 'card pg-result', 'data-target': r.target },
      h('h3', null, `${r.target + 1}. ${r.model}`, r.overridden ? ' (overridden)' : ''),
      h('p', null, h('span', { class: `status-${r.status}` }, r.status), ' · ', `${fmt(r.mode)} ${fmt(r.release)}`,
        r.run_id && h(Fragment, null, ' · ', h('a', { href: `#/run/${r.run_id}` }, 'run'))),
      r.problem ? h('div', { class: 'problem' }, h('strong', null, r.problem.code || r.problem.title), ' ', r.problem.detail || '')
        : h('pre', { class: 'output', tabIndex: 0 }, typeof r.output === 'object' ? JSON.stringify(r.output, null, 2) : fmt(r.output)),
      h('dl', { class: 'inline' },
        h('dt', null, 'Latency'), h('dd', { class: 'latency' }, `${fmt(r.latency_ms)} ms`),
        h('dt', null, 'Usage'), h('dd', { class: 'usage' }, usage(r.usage)),
        h('dt', null, 'Cost'), h('dd', { class: 'cost' }, credits(r.cost)),
        h('dt', null, 'Route'), h('dd', { class: 'route' }, `${fmt(r.provider)} / ${fmt(r.route)}`))))));
}

function Report({ report }) {
  return h('div', { id: 'pg-report', 'aria-live': 'polite' },
    h('p', null, `Status ${fmt(report.status)} · total `, h('span', { id: 'pg-eval-total' }, credits(report.total_cost)),
      report.judge_cost ? ` (judge ${credits(report.judge_cost)})` : ''),
    h(Table, { caption: 'Per target', rows: report.targets, columns: [
      { label: 'Target', cell: t => `${t.target + 1}. ${t.model}` }, { label: 'Cases', key: 'cases' },
      { label: 'Passed', key: 'passed' }, { label: 'Failed', key: 'failed' },
      { label: 'Pass rate', cell: t => h('span', { class: 'pass-rate' }, `${Math.round((t.pass_rate || 0) * 100)}%`) },
      { label: 'Cost', cell: t => credits(t.cost) }] }),
    h(Table, { caption: 'Per case', rows: report.results, columns: [
      { label: 'Case', cell: r => r.name || `#${r.case + 1}` }, { label: 'Target', cell: r => r.target + 1 },
      { label: 'Verdict', cell: r => h('span', { class: r.passed ? 'verdict status-succeeded' : 'verdict status-failed' }, r.passed ? 'pass' : 'fail') },
      { label: 'Reasons', cell: r => h('span', { class: 'reasons' }, [...(r.reasons || []), ...(r.problem ? [r.problem.detail || r.problem.code] : [])].join('; ') || '—') },
      { label: 'Cost', cell: r => credits(r.cost) }, { label: 'Latency', cell: r => `${fmt(r.latency_ms)} ms` },
      { label: 'Run', cell: r => r.run_id ? h('a', { href: `#/run/${r.run_id}` }, r.run_id) : '—' }] }));
}

/** Form models, rendered from /api/forms/{slug}: each form submits its fields as a run of the model. */
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
    return forms.map(({ model, form, error }) => h('section', { class: 'card', 'aria-label': model.name },
      h('h2', null, model.name),
      model.description && h('p', { class: 'muted' }, model.description),
      error ? h(Problem, { error }) : h(FormModel, { model, form, key: model.slug })));
  }
}

const INPUT_TYPES = { text: 'text', email: 'email', url: 'url', number: 'number', range: 'range', date: 'date',
  time: 'time', datetime: 'datetime-local', color: 'color' };

const optionsOf = f => (f.options || []).map(o => typeof o === 'object' ? o : { value: o, label: o });

/** One form drawn from its definition; the gateway checks the fields (its 422 lists each field's message). */
class FormModel extends Component {
  constructor(props) { super(props); this.state = { run: null, error: null, busy: false, progress: null }; }
  async submit(e) {
    e.preventDefault();
    const form = e.target;
    const { model, form: def } = this.props;
    this.setState({ busy: true, error: null, run: null });
    try {
      const fields = {};
      const files = [];
      for (const f of def.fields || []) {
        const name = `f-${f.id}`;
        if (f.type === 'checkbox' && optionsOf(f).length) {
          const ticked = [...form.querySelectorAll(`input[name="${name}"]:checked`)].map(el => el.value);
          if (ticked.length) fields[f.id] = ticked;
        } else if (f.type === 'checkbox') {
          fields[f.id] = form.elements[name].checked;
        } else if (f.type === 'file') {
          if (form.elements[name].files.length) files.push([f.id, form.elements[name].files[0]]);
        } else {
          const value = f.type === 'radio' ? (form.querySelector(`input[name="${name}"]:checked`) || {}).value : form.elements[name].value;
          if (value !== undefined && value !== '') fields[f.id] = f.type === 'number' || f.type === 'range' ? Number(value) : value;
        }
      }
      for (const [id, file] of files) {
        const media = await upload(file, p => this.setState({ progress: p }));
        fields[id] = { media_ref: media.media_ref, filename: file.name };
      }
      const run = await api('POST', '/api/runs', { model: model.slug, mode: 'submit', input: { fields } }, { 'Idempotency-Key': randomKey() });
      this.setState({ run, busy: false });
    } catch (error) { this.setState({ error, busy: false }); }
  }
  field(f) {
    const id = `form-${this.props.model.slug}-${f.id}`;
    const name = `f-${f.id}`;
    const label = `${f.label || f.id}${f.required ? ' (required)' : ''}`;
    const hint = f.help;
    const common = { id, name, required: !!f.required, 'aria-describedby': hint ? `${id}-hint` : undefined };
    const options = optionsOf(f);
    if (f.type === 'radio' || (f.type === 'checkbox' && options.length)) {
      return h('fieldset', { class: 'field' }, h('legend', null, label),
        options.map((o, i) => h('label', { class: 'option' },
          h('input', { type: f.type, name, value: o.value, defaultChecked: f.type === 'radio' ? f.default === o.value : (f.default || []).includes(o.value), id: `${id}-${i}` }),
          ` ${o.label}`)),
        hint && h('small', { class: 'muted' }, hint));
    }
    let control;
    if (f.type === 'textarea') control = h('textarea', { ...common, rows: 4, maxLength: f.max_length, placeholder: f.placeholder, defaultValue: f.default ?? '' });
    else if (f.type === 'select') control = h('select', common, !f.required && h('option', { value: '' }, '—'),
      options.map(o => h('option', { value: o.value, selected: f.default === o.value }, o.label)));
    else if (f.type === 'checkbox') control = h('input', { ...common, type: 'checkbox', required: false, defaultChecked: f.default === true });
    else if (f.type === 'file') control = h('input', { ...common, type: 'file' });
    else control = h('input', { ...common, type: INPUT_TYPES[f.type] || 'text', min: f.min, max: f.max, maxLength: f.max_length,
      step: f.type === 'number' ? 'any' : undefined, placeholder: f.placeholder, defaultValue: f.default ?? '' });
    return h(Field, { label, id, hint }, control);
  }
  render() {
    const { model, form: def } = this.props;
    return h('form', { class: 'form-model', id: `form-${model.slug}`, noValidate: true, onSubmit: e => this.submit(e), 'aria-label': `Submit ${model.name}` },
      (def.fields || []).map(f => this.field(f)),
      (def.rules || []).length > 0 && h('ul', { class: 'muted rules' }, def.rules.map(r => h('li', null, r.message))),
      this.state.progress !== null && this.state.busy && h('progress', { max: 1, value: this.state.progress, 'aria-label': 'Upload progress' }),
      h('button', { type: 'submit', disabled: this.state.busy }, this.state.busy ? 'Sending…' : 'Submit'),
      h(Problem, { error: this.state.error }),
      this.state.run && h(RunResult, { run: this.state.run }));
  }
}
