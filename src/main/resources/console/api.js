// The console's only door to the gateway: the public REST API with a bearer access token.
// The access token lives in this module's memory only (never in web storage). The refresh token is an
// HttpOnly, Secure, SameSite=Strict cookie scoped to /api/auth that no script can read: a reload restores
// the session with it (restore()), and sign-out clears it. The access token is refreshed silently before it
// expires, and once more on a 401.

let session = null;
let refreshTimer = null;
let refreshing = null;
const listeners = new Set();

export class ApiError extends Error {
  constructor(status, problem) {
    super((problem && (problem.detail || problem.title)) || `HTTP ${status}`);
    this.status = status;
    this.problem = problem || {};
  }
}

export function onSessionChange(fn) { listeners.add(fn); }
function notify() { listeners.forEach(fn => fn(current())); }

/** Who is signed in: email, role, workspace and permissions (no tokens). */
export function current() {
  return session && { email: session.email, role: session.role, workspaceId: session.workspaceId, can: session.can };
}

async function problemOf(response) {
  try { return new ApiError(response.status, await response.json()); }
  catch { return new ApiError(response.status, null); }
}

// auth calls send and receive the refresh cookie (same origin only); the JSON content type is what the
// gateway requires before it reads that cookie
async function postJson(path, body) {
  const response = await fetch(path, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body),
    credentials: 'same-origin', cache: 'no-store'
  });
  if (!response.ok) throw await problemOf(response);
  return response.status === 204 ? null : response.json();
}

function accept(tokens) {
  session = {
    ...(session || {}),
    accessToken: tokens.access_token,
    email: tokens.user && tokens.user.email, role: tokens.role, workspaceId: tokens.workspace_id
  };
  clearTimeout(refreshTimer);
  // refresh at 80% of the access token's life
  const ms = Math.max(5, tokens.expires_in * 0.8) * 1000;
  refreshTimer = setTimeout(() => { refresh().catch(() => {}); }, ms);
}

export async function signIn(email, password, workspaceId) {
  accept(await postJson('/api/auth/login', { email, password, cookie: true, ...(workspaceId ? { workspace_id: workspaceId } : {}) }));
  await permissions();
}

async function permissions() {
  const answer = await api('GET', '/api/status/permissions');
  session.can = answer.permissions;
  notify();
}

/** After a page load: resumes the session of the refresh cookie, if there is one; answers whether it did. */
export async function restore() {
  try {
    accept(await postJson('/api/auth/refresh', { cookie: true }));
    await permissions();
    return true;
  } catch {
    session = null;
    clearTimeout(refreshTimer);
    return false;
  }
}

function refresh() {
  if (!session) return Promise.reject(new ApiError(401, null));
  if (!refreshing) {
    refreshing = postJson('/api/auth/refresh', { cookie: true })
      .then(accept)
      .catch(e => { end(); throw e; })
      .finally(() => { refreshing = null; });
  }
  return refreshing;
}

function end() {
  clearTimeout(refreshTimer);
  session = null;
  notify();
}

export async function signOut() {
  end();
  // ends the session on the gateway and clears the refresh cookie
  try { await postJson('/api/auth/logout', {}); } catch { /* signed out here anyway */ }
}

/** Accepts an invitation with the invitee's password, then signs in to the workspace it is for. */
export async function acceptInvitation(token, password) {
  const accepted = await postJson('/api/auth/invitations/accept', { token, password });
  await signIn(accepted.email, password, accepted.workspace_id);
}

/** Calls the API as the signed-in user; answers the parsed JSON or throws an ApiError with the problem. */
export async function api(method, path, body, headers = {}) {
  const response = await send(method, path, body, headers);
  if (response.status === 204) return null;
  return response.json();
}

/** The raw response (for blobs), authenticated like {@link api}. */
export async function send(method, path, body, headers = {}) {
  if (!session) throw new ApiError(401, { detail: 'not signed in' });
  const attempt = () => fetch(path, {
    method, cache: 'no-store', credentials: 'omit',
    headers: { ...headers, Authorization: `Bearer ${session.accessToken}`, ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
    body: body !== undefined ? JSON.stringify(body) : undefined
  });
  let response = await attempt();
  if (response.status === 401 && session) {
    await refresh();
    response = await attempt();
  }
  if (!response.ok) throw await problemOf(response);
  return response;
}

/**
 * Uploads a file through the media flow (init → PUT → complete); {@code progress} gets 0..1.
 * The PUT goes to the upload URL's path on this origin (the console talks only to its own origin).
 */
export async function upload(file, progress = () => {}) {
  const mediaType = file.type.startsWith('image/') ? 'image' : file.type.startsWith('audio/') ? 'audio'
    : file.type.startsWith('video/') ? 'video' : 'file';
  const init = await api('POST', '/api/media/upload/init', {
    filename: file.name, content_type: file.type || 'application/octet-stream', media_type: mediaType, size_bytes: file.size
  });
  const url = new URL(init.upload_url, location.href);
  await new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('PUT', url.pathname + url.search);
    xhr.setRequestHeader('Content-Type', file.type || 'application/octet-stream');
    xhr.upload.onprogress = e => { if (e.lengthComputable) progress(e.loaded / e.total); };
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) { progress(1); resolve(); return; }
      let problem = null;
      try { problem = JSON.parse(xhr.responseText); } catch { /* not JSON */ }
      reject(new ApiError(xhr.status, problem));
    };
    xhr.onerror = () => reject(new ApiError(0, { detail: 'the upload could not reach the gateway' }));
    xhr.send(file);
  });
  return api('POST', '/api/media/upload/complete', { upload_id: init.upload_id });
}
