// HTTP side of the Realtime API, as the console uses it. Every failure becomes an ApiError whose message a person
// can act on: the server cannot be reached, the key was refused, or the server's own error message.

const KEY_STORAGE = 'mediaserver.console.apiKey';
const URL_STORAGE = 'mediaserver.console.serverUrl';

export class ApiError extends Error {
  constructor(message, { status = 0, code = null, unreachable = false } = {}) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.unreachable = unreachable;
  }
}

export const settings = {
  get apiKey() {
    return localStorage.getItem(KEY_STORAGE) || 'local';
  },
  set apiKey(value) {
    localStorage.setItem(KEY_STORAGE, value || 'local');
  },
  get serverUrl() {
    return localStorage.getItem(URL_STORAGE) || '';
  },
  set serverUrl(value) {
    if (value) localStorage.setItem(URL_STORAGE, value.replace(/\/+$/, ''));
    else localStorage.removeItem(URL_STORAGE);
  },
  /** The HTTP origin of the media server: the configured URL, else the one that served this page. */
  get base() {
    return this.serverUrl || window.location.origin;
  },
  /** The same server as a ws: or wss: URL. */
  get wsBase() {
    const url = new URL(this.base);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    return url.origin;
  },
};

async function request(path, { method = 'GET', key = settings.apiKey, body, contentType, accept } = {}) {
  const headers = { Authorization: 'Bearer ' + key };
  if (contentType) headers['Content-Type'] = contentType;
  if (accept) headers.Accept = accept;
  let response;
  try {
    response = await fetch(settings.base + path, { method, headers, body });
  } catch {
    throw new ApiError(`Cannot reach the media server at ${settings.base}. Is it running?`, { unreachable: true });
  }

  if (!response.ok) {
    let message = `The server answered ${response.status}.`;
    let code = null;
    try {
      const error = (await response.json()).error;
      if (error?.message) message = error.message;
      code = error?.code ?? null;
    } catch {
      // not JSON: keep the status line
    }

    if (response.status === 401) message = `The server refused the API key: ${message} Check it under Connection settings.`;
    throw new ApiError(message, { status: response.status, code });
  }

  return response;
}

export async function health() {
  const response = await request('/healthz');
  return response.json();
}

/** POST /v1/realtime/client_secrets: a short-lived ek_ key that carries the session's starting config. */
export async function createClientSecret(session) {
  const response = await request('/v1/realtime/client_secrets', {
    method: 'POST',
    contentType: 'application/json',
    body: JSON.stringify({ expires_after: { anchor: 'created_at', seconds: 600 }, session }),
  });
  const secret = await response.json();
  if (!secret.value) throw new ApiError('The server did not return a client secret.');
  return secret;
}

/** POST /v1/realtime/calls with the SDP offer; returns the SDP answer and the call id from Location. */
export async function postOffer(sdp, ephemeralKey) {
  const response = await request('/v1/realtime/calls', {
    method: 'POST',
    key: ephemeralKey,
    body: sdp,
    contentType: 'application/sdp',
    accept: 'application/sdp',
  });
  const location = response.headers.get('Location') || '';
  return { answer: await response.text(), callId: location.split('/').pop() || null };
}

export async function listCalls() {
  const response = await request('/v1/realtime/calls');
  return (await response.json()).data || [];
}

export async function hangUp(callId, key = settings.apiKey) {
  await request(`/v1/realtime/calls/${encodeURIComponent(callId)}/hangup`, { method: 'POST', key });
}

export async function refer(callId, targetUri) {
  await request(`/v1/realtime/calls/${encodeURIComponent(callId)}/refer`, {
    method: 'POST',
    contentType: 'application/json',
    body: JSON.stringify({ target_uri: targetUri }),
  });
}

/** A browser WebSocket to the Realtime API: the key travels in the subprotocol, as browsers cannot set headers. */
export function openRealtimeSocket(query, key) {
  return new WebSocket(`${settings.wsBase}/v1/realtime?${query}`, ['realtime', 'openai-insecure-api-key.' + key]);
}
