// The console shell: sign-in, navigation (hash routes), and one page at a time.
import { h, Component, render, Problem, Field } from './ui.js';
import { signIn, signOut, restore, current, onSessionChange, acceptInvitation } from './api.js';
import { Marketplace, ModelDetail, Playground, Forms } from './catalog.js';
import { Keys, Wallet, Usage, Members, Limits } from './account.js';
import { Runs, RunDetail, KnowledgeBases, KnowledgeBase, Media, Jobs, Content } from './data.js';

// route → page, the permission that offers it (hidden when missing; the API refuses it anyway)
const ROUTES = [
  { path: 'marketplace', label: 'Marketplace', page: Marketplace },
  { path: 'models', page: ModelDetail, hidden: true },
  { path: 'playground', label: 'Playground', page: Playground, needs: 'use_playground' },
  { path: 'runs', label: 'Runs and logs', page: Runs, needs: 'view_own_logs' },
  { path: 'run', page: RunDetail, hidden: true },
  { path: 'usage', label: 'Usage', page: Usage },
  { path: 'knowledge-bases', label: 'Knowledge bases', page: KnowledgeBases },
  { path: 'kb', page: KnowledgeBase, hidden: true },
  { path: 'media', label: 'Media', page: Media },
  { path: 'jobs', label: 'Jobs', page: Jobs },
  { path: 'content', label: 'Content', page: Content },
  { path: 'forms', label: 'Forms', page: Forms },
  { path: 'wallet', label: 'Wallet', page: Wallet },
  { path: 'keys', label: 'Keys', page: Keys, needs: 'manage_keys' },
  { path: 'members', label: 'Members', page: Members, needs: 'manage_members' },
  { path: 'limits', label: 'Limits', page: Limits, needs: 'manage_limits' }
];

function route() {
  const parts = location.hash.replace(/^#\/?/, '').split('/').map(decodeURIComponent);
  return { name: parts[0] || 'marketplace', args: parts.slice(1), path: location.hash };
}

class SignIn extends Component {
  constructor(props) { super(props); this.state = { error: null, busy: false }; }
  async submit(e) {
    e.preventDefault();
    const form = new FormData(e.target);
    this.setState({ busy: true, error: null });
    try { await signIn(form.get('email'), form.get('password')); }
    catch (err) { this.setState({ error: err, busy: false }); }
  }
  render() {
    return h('main', { id: 'main', class: 'signin' },
      h('h1', null, 'Sign in to AIMP Gateway'),
      h('p', { class: 'muted' }, 'Use the e-mail and password printed at the first start ("Web console sign-in") or your own account.'),
      h(Problem, { error: this.state.error }),
      h('form', { onSubmit: e => this.submit(e), id: 'signin-form' },
        h(Field, { label: 'E-mail', id: 'email' }, h('input', { id: 'email', name: 'email', type: 'email', autocomplete: 'username', required: true })),
        h(Field, { label: 'Password', id: 'password' }, h('input', { id: 'password', name: 'password', type: 'password', autocomplete: 'current-password', required: true })),
        h('button', { type: 'submit', disabled: this.state.busy }, this.state.busy ? 'Signing in…' : 'Sign in')));
  }
}

/** The invitation link (/console/invite#<token>): the invitee sets a password and is signed in. */
class AcceptInvitation extends Component {
  constructor(props) {
    super(props);
    this.token = location.hash.slice(1);
    // the token is single-use; keep it out of the address bar and history from here on
    history.replaceState(null, '', '/console/invite');
    this.state = { error: null, busy: false };
  }
  async submit(e) {
    e.preventDefault();
    const form = new FormData(e.target);
    if (form.get('password') !== form.get('again')) {
      this.setState({ error: new Error('the two passwords differ') });
      return;
    }
    this.setState({ busy: true, error: null });
    try {
      await acceptInvitation(this.token, form.get('password'));
      history.replaceState(null, '', '/console/#/marketplace');
      this.props.onDone();
    } catch (err) { this.setState({ error: err, busy: false }); }
  }
  render() {
    return h('main', { id: 'main', class: 'signin' },
      h('h1', null, 'Join the workspace'),
      this.token ? h('p', { class: 'muted' }, 'Choose your password (an existing account gives its own password).')
        : h('p', { class: 'problem' }, 'This invitation link has no token; ask for a new invitation.'),
      h(Problem, { error: this.state.error }),
      h('form', { id: 'invite-form', onSubmit: e => this.submit(e) },
        h(Field, { label: 'Password', id: 'inv-password' }, h('input', { id: 'inv-password', name: 'password', type: 'password', autocomplete: 'new-password', required: true })),
        h(Field, { label: 'Password again', id: 'inv-again' }, h('input', { id: 'inv-again', name: 'again', type: 'password', autocomplete: 'new-password', required: true })),
        h('button', { type: 'submit', disabled: this.state.busy || !this.token }, 'Accept the invitation')));
  }
}

class App extends Component {
  constructor(props) {
    super(props);
    // an invitation signs in as the invitee: it does not resume another session
    const invite = location.pathname === '/console/invite';
    this.state = { user: current(), route: route(), restoring: !invite };
    onSessionChange(user => this.setState({ user }));
    if (!invite) restore().finally(() => this.setState({ restoring: false }));
    addEventListener('hashchange', () => this.setState({ route: route() }, () => {
      const title = document.getElementById('page-title');
      if (title) title.focus();
    }));
  }
  render() {
    const { user, route: r, restoring } = this.state;
    if (restoring) return h('main', { id: 'main', class: 'signin' }, h('p', { class: 'muted', role: 'status' }, 'Resuming your session…'));
    if (!user && location.pathname === '/console/invite') return h(AcceptInvitation, { onDone: () => this.setState({ route: route() }) });
    if (!user) return h(SignIn);
    const can = p => !p || (user.can && user.can[p]);
    const entry = ROUTES.find(x => x.path === r.name && can(x.needs)) || ROUTES[0];
    document.title = `${entry.label || 'Console'} · AIMP Gateway`;
    return h('div', { class: 'shell' },
      h('a', { class: 'skip', href: '#main', onClick: e => { e.preventDefault(); document.getElementById('main').focus(); } }, 'Skip to content'),
      h('header', null,
        h('span', { class: 'brand' }, 'AIMP Gateway'),
        h('span', { class: 'who' }, `${user.email} · ${user.role}`),
        h('button', { type: 'button', class: 'secondary', id: 'sign-out', onClick: () => signOut() }, 'Sign out')),
      h('nav', { 'aria-label': 'Console' },
        h('ul', null, ROUTES.filter(x => !x.hidden && can(x.needs)).map(x =>
          h('li', null, h('a', { href: `#/${x.path}`, 'aria-current': x === entry ? 'page' : undefined }, x.label))))),
      h('main', { id: 'main', tabIndex: -1 }, h(entry.page, { args: r.args, path: r.path, user, key: entry.path })));
  }
}

const root = document.getElementById('app');
root.textContent = '';
render(h(App), root);
