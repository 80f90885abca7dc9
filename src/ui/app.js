// The shell: sign-in, navigation, and the screen for the current #/route.
import { api, ApiError, token } from './api.js';
import { errorBox, h, replace } from './dom.js';
import { chatScreen } from './screens/chat.js';
import { connectScreen } from './screens/connect.js';
import { customerScreen, customersScreen } from './screens/customers.js';
import { mappingsScreen } from './screens/mappings.js';
import { monitorScreen } from './screens/monitor.js';
import { testSenderScreen } from './screens/testSender.js';

const NAV = [
  ['connect', 'Segment setup', connectScreen],
  ['mappings', 'Mappings', mappingsScreen],
  ['test', 'Test sender', testSenderScreen],
  ['monitor', 'Live monitor', monitorScreen],
  ['customers', 'Customers', customersScreen],
  ['chat', 'Ask', chatScreen],
];

const root = document.getElementById('root');
let workspace = null;
let leaveScreen = null;

async function start() {
  window.addEventListener('cscx:unauthorized', () => workspace && signOut('Your sign-in expired or the token was rotated. Sign in again.'));
  window.addEventListener('hashchange', render);
  if (!token.get()) return signIn();
  try {
    workspace = await api('/api/workspace');
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return signOut('Your sign-in expired. Sign in again.');
    return replace(root, h('main', { class: 'signin' }, errorBox(error)));
  }
  render();
}

function signOut(message) {
  token.clear();
  workspace = null;
  signIn(message);
}

function signIn(message) {
  leaveScreen?.();
  root.className = '';
  const input = h('input', { id: 'token', type: 'password', autocomplete: 'off', placeholder: 'adm_…', required: true });
  const problem = h('p', { class: 'field-error', id: 'signin-error' }, message ?? '');
  const form = h(
    'form',
    {
      class: 'card signin-card',
      onsubmit: async (event) => {
        event.preventDefault();
        token.set(input.value.trim());
        try {
          workspace = await api('/api/workspace');
          if (!location.hash || location.hash === '#/') location.hash = '#/connect';
          render();
        } catch (error) {
          token.clear();
          problem.textContent =
            error.status === 401 ? 'That token is not valid for any workspace. Check for a missing character.' : error.message;
        }
      },
    },
    h('div', { class: 'brand big' }, h('span', { class: 'logo' }), 'CSCX.AI'),
    h('h1', {}, 'Sign in to your workspace'),
    h('p', { class: 'muted' }, 'Use the workspace admin token. The service printed where it is kept (credentials.json in its data folder).'),
    h('label', { for: 'token' }, 'Admin token'),
    input,
    problem,
    h('button', { class: 'primary', type: 'submit' }, 'Sign in'),
    h('p', { class: 'muted small' }, 'The token stays in this browser tab only and is forgotten when you close it.'),
  );
  replace(root, h('main', { class: 'signin' }, form));
  input.focus();
}

function render() {
  if (!workspace) return;
  leaveScreen?.();
  leaveScreen = null;
  const [, section = 'connect', ...rest] = (location.hash || '#/connect').split('/');
  const entry = NAV.find(([id]) => id === section) ?? NAV[0];
  const content = h('main', { class: 'content', id: 'content' });
  root.className = '';
  replace(
    root,
    h(
      'div',
      { class: 'shell' },
      h(
        'aside',
        { class: 'sidebar' },
        h('div', { class: 'brand' }, h('span', { class: 'logo' }), 'CSCX.AI'),
        h('div', { class: 'workspace-name', title: workspace.id }, workspace.name),
        h(
          'nav',
          {},
          NAV.map(([id, label]) => h('a', { href: `#/${id}`, class: id === entry[0] ? 'active' : '', 'data-nav': id }, label)),
        ),
        h('button', { class: 'link signout', onclick: () => signOut('Signed out.') }, 'Sign out'),
      ),
      content,
    ),
  );
  const screen = section === 'customers' && rest[0] ? customerScreen : entry[2];
  try {
    leaveScreen = screen(content, { workspace, params: rest.map(decodeURIComponent), refreshWorkspace }) ?? null;
  } catch (error) {
    replace(content, errorBox(error));
  }
}

async function refreshWorkspace() {
  workspace = await api('/api/workspace');
  return workspace;
}

start();
