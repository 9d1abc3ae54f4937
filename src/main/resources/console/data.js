// Runs and logs, knowledge bases, media, jobs and content.
import { h, Component, Fragment, Page, Problem, Field, Table, Pager, when, fmt, randomKey } from './ui.js';
import { api, send, upload } from './api.js';
import { RunResult } from './catalog.js';

const PAGE = 20;

export class Runs extends Page {
  title() { return 'Runs and logs'; }
  fetch() {
    const q = new URLSearchParams({ limit: String(PAGE), offset: String(this.offset || 0) });
    Object.entries(this.filters || {}).forEach(([k, v]) => { if (v) q.set(k, k === 'from' || k === 'to' ? new Date(v).toISOString() : v); });
    return api('GET', `/api/logs/usage?${q}`);
  }
  view(list) {
    const f = this.filters || {};
    return h(Fragment, null,
      h('form', { class: 'filters', onSubmit: e => { e.preventDefault(); this.filters = Object.fromEntries(new FormData(e.target)); this.offset = 0; this.reload(); } },
        h(Field, { label: 'Model', id: 'f-model' }, h('input', { id: 'f-model', name: 'model', value: f.model || '' })),
        h(Field, { label: 'Status', id: 'f-status' }, h('select', { id: 'f-status', name: 'status' },
          ['', 'succeeded', 'failed', 'canceled', 'blocked'].map(s => h('option', { value: s, selected: s === f.status }, s || 'any')))),
        h(Field, { label: 'Key id', id: 'f-key' }, h('input', { id: 'f-key', name: 'key_id', value: f.key_id || '' })),
        h(Field, { label: 'From', id: 'f-from' }, h('input', { id: 'f-from', name: 'from', type: 'datetime-local', value: f.from || '' })),
        h(Field, { label: 'To', id: 'f-to' }, h('input', { id: 'f-to', name: 'to', type: 'datetime-local', value: f.to || '' })),
        h('button', { type: 'submit' }, 'Filter')),
      h(Table, {
        caption: 'Usage log', rows: list.data, empty: 'No runs match.', columns: [
          { label: 'When', cell: r => when(r.created_at) },
          { label: 'Run', cell: r => h('a', { href: `#/run/${r.run_id}` }, r.run_id) },
          { label: 'Model', key: 'model' }, { label: 'Mode', key: 'mode' }, { label: 'Status', key: 'status' },
          { label: 'Entry point', key: 'entry_point' }, { label: 'Key', key: 'key_prefix' },
          { label: 'Tokens', cell: r => (r.input_tokens || 0) + (r.output_tokens || 0) },
          { label: 'Credits', key: 'credits' }, { label: 'Latency (ms)', key: 'latency_ms' }]
      }),
      h(Pager, { offset: this.offset || 0, limit: PAGE, count: list.data.length, onPage: o => { this.offset = o; this.reload(); } }));
  }
}

export class RunDetail extends Page {
  title() { return `Run ${this.props.args[0]}`; }
  async fetch() {
    const id = encodeURIComponent(this.props.args[0]);
    const [run, logs] = await Promise.all([api('GET', `/api/runs/${id}`),
      api('GET', `/api/logs/executions?run_id=${id}`).catch(() => ({ data: [] }))]);
    return { run, logs: logs.data };
  }
  view({ run, logs }) {
    const events = [...logs].sort((a, b) => a.seq - b.seq);
    return h(Fragment, null,
      h('p', { class: 'muted' }, `${run.model} · ${run.mode} · release ${run.release} · ${when(run.created_at)}`),
      h(RunResult, { run }),
      run.error && h('p', { class: 'problem' }, fmt(run.error)),
      h('h2', null, 'Execution log'),
      events.length ? h('ol', { class: 'timeline' }, events.map(ev => h('li', null,
        h('strong', null, [ev.step, ev.name].filter(Boolean).join(': ') || 'step'), ' ',
        h('span', { class: `outcome outcome-${ev.outcome}` }, ev.outcome || ''), ' ',
        h('span', { class: 'muted' }, [ev.provider, ev.provider_model, ev.failure_class, ev.http_status ? `HTTP ${ev.http_status}` : '',
          ev.latency_ms !== null && ev.latency_ms !== undefined ? `${ev.latency_ms} ms` : '', when(ev.created_at)].filter(Boolean).join(' · ')),
        ev.detail && h('pre', { class: 'detail', tabIndex: 0 }, JSON.stringify(ev.detail, null, 2))))) : h('p', { class: 'muted' }, 'No execution log for this run.'));
  }
}

export class KnowledgeBases extends Page {
  title() { return 'Knowledge bases'; }
  fetch() { return api('GET', '/api/knowledge-bases'); }
  view(list) {
    return h(Table, {
      caption: 'Knowledge bases by model, collection and scope', rows: list.data, empty: 'Nothing is indexed yet.', columns: [
        { label: 'Model', key: 'model' }, { label: 'Collection', key: 'collection' },
        { label: 'Scope', cell: k => h('a', { href: `#/kb/${encodeURIComponent(k.model)}/${encodeURIComponent(k.collection)}/${encodeURIComponent(k.scope)}` }, k.scope) },
        { label: 'Items', key: 'item_count' }, { label: 'Updated', cell: k => when(k.updated_at) }]
    });
  }
}

export class KnowledgeBase extends Page {
  title() { return `Knowledge base ${this.props.args.join(' / ')}`; }
  fetch() {
    const [model, collection, scope] = this.props.args.map(encodeURIComponent);
    return api('GET', `/api/knowledge-bases/${model}/${collection}/${scope}/items?limit=${PAGE}&offset=${this.offset || 0}`);
  }
  async search(e) {
    e.preventDefault();
    const [model, , scope] = this.props.args;
    try {
      const run = await api('POST', '/api/runs', { model, mode: 'search', scope, input: { query: new FormData(e.target).get('query') }, params: {} },
        { 'Idempotency-Key': randomKey() });
      this.setState({ hits: run.output, searchError: null });
    } catch (err) { this.setState({ searchError: err, hits: null }); }
  }
  async drop() {
    const [model, collection, scope] = this.props.args.map(encodeURIComponent);
    if (!confirm('Delete this knowledge base and every item in it?')) return;
    try { await api('DELETE', `/api/knowledge-bases/${model}/${collection}/${scope}`); location.hash = '#/knowledge-bases'; }
    catch (error) { this.setState({ error }); }
  }
  view(page) {
    const hits = this.state.hits && (this.state.hits.results || this.state.hits.matches || this.state.hits.data || []);
    const can = this.props.user.can || {};
    return h(Fragment, null,
      h('p', { class: 'muted' }, `${page.total} item${page.total === 1 ? '' : 's'}`),
      h('form', { class: 'filters', role: 'search', onSubmit: e => this.search(e) },
        h(Field, { label: 'Search this knowledge base', id: 'kb-query' }, h('input', { id: 'kb-query', name: 'query', type: 'search', required: true })),
        h('button', { type: 'submit' }, 'Search')),
      h(Problem, { error: this.state.searchError }),
      hits && h('ol', { class: 'hits', 'aria-label': 'Search results' }, hits.map(x => h('li', null,
        h('span', { class: 'score' }, x.score !== undefined ? Number(x.score).toFixed(3) : ''), ' ', x.text || x.filename || x.id))),
      h(Table, {
        caption: 'Items', rows: page.data, columns: [
          { label: 'Id', key: 'id' }, { label: 'Content', cell: i => i.text || i.filename || i.media_ref || '—' },
          { label: 'Metadata', cell: i => fmt(i.metadata) }, { label: 'Updated', cell: i => when(i.updated_at) }]
      }),
      h(Pager, { offset: this.offset || 0, limit: PAGE, count: page.data.length, onPage: o => { this.offset = o; this.reload(); } }),
      can.manage_knowledge_bases && h('button', { type: 'button', class: 'danger', onClick: () => this.drop() }, 'Delete knowledge base'));
  }
}

class Preview extends Component {
  async componentDidMount() {
    try {
      const blob = await (await send('GET', `/api/media/${encodeURIComponent(this.props.media.media_ref || this.props.media.id)}/content`)).blob();
      this.url = URL.createObjectURL(blob);
      this.setState({ url: this.url });
    } catch { this.setState({ failed: true }); }
  }
  componentWillUnmount() { if (this.url) URL.revokeObjectURL(this.url); }
  render() {
    return this.state && this.state.url ? h('img', { src: this.state.url, alt: this.props.media.filename || 'uploaded image', class: 'thumb' }) : null;
  }
}

export class Media extends Page {
  title() { return 'Media'; }
  fetch() { return api('GET', `/api/media?limit=${PAGE}&offset=${this.offset || 0}`); }
  async uploadAll(e) {
    e.preventDefault();
    const files = [...e.target.elements['media-files'].files];
    this.setState({ uploadError: null, uploaded: [] });
    try {
      for (const file of files) {
        const media = await upload(file, progress => this.setState({ progress, uploading: file.name }));
        this.setState({ uploaded: [...(this.state.uploaded || []), media] });
      }
      e.target.reset();
      this.setState({ progress: null, uploading: null });
      this.reload();
    } catch (err) { this.setState({ uploadError: err, progress: null }); }
  }
  async remove(m) {
    if (!confirm(`Delete ${m.filename || m.media_ref}?`)) return;
    try { await api('DELETE', `/api/media/${encodeURIComponent(m.media_ref)}`); this.reload(); }
    catch (error) { this.setState({ error }); }
  }
  view(list) {
    const can = this.props.user.can || {};
    return h(Fragment, null,
      can.upload_media && h('form', { id: 'upload-form', class: 'filters', onSubmit: e => this.uploadAll(e) },
        h(Field, { label: 'Files', id: 'media-files' }, h('input', { id: 'media-files', name: 'media-files', type: 'file', multiple: true, required: true })),
        h('button', { type: 'submit' }, 'Upload')),
      this.state.progress != null && h('div', null, h('label', { for: 'upload-progress' }, `Uploading ${this.state.uploading}`),
        h('progress', { id: 'upload-progress', max: 1, value: this.state.progress })),
      h(Problem, { error: this.state.uploadError }),
      h(Table, {
        caption: 'Uploaded media', rows: list.data, columns: [
          { label: 'Preview', cell: m => (m.content_type || '').startsWith('image/') ? h(Preview, { media: m, key: m.media_ref }) : '—' },
          { label: 'File', key: 'filename' }, { label: 'Reference', cell: m => h('code', null, m.media_ref) },
          { label: 'Type', key: 'content_type' }, { label: 'Bytes', key: 'size_bytes' }, { label: 'Uploaded', cell: m => when(m.created_at) },
          { label: 'Actions', cell: m => can.upload_media ? h('button', { type: 'button', class: 'danger', 'aria-label': `Delete ${m.filename}`, onClick: () => this.remove(m) }, 'Delete') : '—' }]
      }),
      h(Pager, { offset: this.offset || 0, limit: PAGE, count: list.data.length, onPage: o => { this.offset = o; this.reload(); } }));
  }
}

export class Jobs extends Page {
  title() { return 'Jobs'; }
  fetch() { return api('GET', '/api/jobs?limit=50'); }
  componentDidUpdate(prev, prevState) {
    super.componentDidUpdate(prev);
    clearTimeout(this.timer);
    const live = this.state.data && this.state.data.data.some(j => j.status === 'queued' || j.status === 'running');
    if (live) this.timer = setTimeout(() => this.reload(), 2000);
  }
  componentWillUnmount() { clearTimeout(this.timer); }
  view(list) {
    return h(Table, {
      caption: 'Bulk jobs', rows: list.data, empty: 'No bulk jobs yet (POST /api/jobs submits many inputs at once).', columns: [
        { label: 'Job', key: 'id' }, { label: 'Model', key: 'model' }, { label: 'Status', key: 'status' },
        { label: 'Progress', cell: j => h('progress', { max: 1, value: j.progress || 0, 'aria-label': `Progress of ${j.id}` }) },
        { label: 'Items', cell: j => fmt(j.counts) }, { label: 'Created', cell: j => when(j.created_at) }]
    });
  }
}

/** A revision as lines to compare: its fields, then its content with one line per block element. */
function revisionLines(r) {
  const list = v => Array.isArray(v) && v.length ? v.join(', ') : fmt(Array.isArray(v) ? null : v);
  const content = (r.content_html || '').replace(/(<\/(p|h[1-6]|li|pre|tr|blockquote)>|<br\s*\/?>)/gi, '$1\n')
    .split('\n').map(l => l.trim()).filter(l => l);
  return [`title: ${fmt(r.title)}`, `status: ${fmt(r.status)}`, `categories: ${list(r.categories)}`, `tags: ${list(r.tags)}`,
    `excerpt: ${fmt(r.excerpt)}`, `seo_description: ${fmt(r.seo_description)}`, `featured_image: ${fmt(r.featured_image)}`, ...content];
}

/** A line diff (longest common subsequence): [{op: ' ' | '-' | '+', line}]. */
export function lineDiff(a, b) {
  const n = a.length, m = b.length;
  const lcs = Array.from({ length: n + 1 }, () => new Array(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) {
    lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  }
  const out = [];
  let i = 0, j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) { out.push({ op: ' ', line: a[i] }); i++; j++; }
    else if (lcs[i + 1][j] >= lcs[i][j + 1]) out.push({ op: '-', line: a[i++] });
    else out.push({ op: '+', line: b[j++] });
  }
  while (i < n) out.push({ op: '-', line: a[i++] });
  while (j < m) out.push({ op: '+', line: b[j++] });
  return out;
}

export class Content extends Page {
  title() { return 'Content'; }
  fetch() { return api('GET', '/api/content/posts?limit=50'); }
  async revisions(post) {
    try {
      const revisions = await api('GET', `/api/content/posts/${encodeURIComponent(post.id)}/revisions`);
      const numbers = revisions.data.map(r => r.revision);
      // newest first: compare the one before the latest with the latest
      this.setState({ post, revisions, from: numbers[Math.min(1, numbers.length - 1)], to: numbers[0], diff: null, diffError: null });
    } catch (error) { this.setState({ error }); }
  }
  async compare(e) {
    e.preventDefault();
    const { post, from, to } = this.state;
    const one = n => api('GET', `/api/content/posts/${encodeURIComponent(post.id)}/revisions/${n}`);
    try {
      const [a, b] = await Promise.all([one(from), one(to)]);
      this.setState({ diff: { from, to, lines: lineDiff(revisionLines(a), revisionLines(b)) }, diffError: null });
    } catch (diffError) { this.setState({ diffError }); }
  }
  view(list) {
    const { revisions, post, diff } = this.state;
    const pick = (id, label, key) => h(Field, { label, id }, h('select', { id, onChange: e => this.setState({ [key]: Number(e.target.value) }) },
      revisions.data.map(r => h('option', { value: r.revision, selected: r.revision === this.state[key] }, `${r.revision} · ${r.operation || ''}`))));
    return h(Fragment, null,
      h(Table, {
        caption: 'Posts', rows: list.data, empty: 'No posts yet (content models save them).', columns: [
          { label: 'Title', key: 'title' }, { label: 'Model', key: 'model' }, { label: 'Revision', key: 'revision' },
          { label: 'Updated', cell: p => when(p.updated_at) },
          { label: 'Actions', cell: p => h('button', { type: 'button', class: 'secondary', 'aria-label': `Revisions of ${p.title || p.id}`, onClick: () => this.revisions(p) }, 'Revisions') }]
      }),
      revisions && h('section', { 'aria-labelledby': 'rev-title' }, h('h2', { id: 'rev-title' }, `Revisions of ${post.title || post.id}`),
        h(Table, { caption: 'Revisions', rows: revisions.data, columns: [
          { label: 'Revision', key: 'revision' }, { label: 'Operation', key: 'operation' }, { label: 'Model', key: 'model' },
          { label: 'Created', cell: r => when(r.created_at) }, { label: 'By', key: 'user_id' },
          { label: 'Run', cell: r => r.run_id ? h('a', { href: `#/run/${r.run_id}` }, r.run_id) : '—' }] }),
        revisions.data.length > 1 && h('form', { class: 'grid', id: 'diff-form', onSubmit: e => this.compare(e) },
          pick('diff-from', 'From revision', 'from'), pick('diff-to', 'To revision', 'to'),
          h('button', { type: 'submit' }, 'Show the difference')),
        h(Problem, { error: this.state.diffError }),
        diff && h('section', { 'aria-label': `Difference from revision ${diff.from} to ${diff.to}` },
          h('h3', null, `Revision ${diff.from} → ${diff.to}`),
          h('pre', { class: 'diff', id: 'diff', tabIndex: 0 }, diff.lines.map(d =>
            h('span', { class: d.op === '+' ? 'added' : d.op === '-' ? 'removed' : 'same' }, `${d.op} ${d.line}\n`))))));
  }
}
