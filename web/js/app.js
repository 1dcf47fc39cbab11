// The voice console: wires the Talk panel, session controls, conversation view and calls view together.

import { health, settings } from './api.js';
import { CallsView } from './calls.js';
import { ConversationView } from './conversation.js';
import { describeTurnDetection, prependEvent } from './events.js';
import { LevelMeter } from './meter.js';
import { WebRtcConnection } from './webrtc.js';
import { WebSocketConnection } from './websocket.js';

const $ = (id) => document.getElementById(id);

const ui = {
  serverState: $('server-state'),
  talk: $('talk'),
  hangup: $('hangup'),
  reply: $('reply'),
  replyHelp: $('reply-help'),
  callState: $('call-state'),
  talkError: $('talk-error'),
  apiKey: $('api-key'),
  serverUrl: $('server-url'),
  audio: $('agent-audio'),
  form: $('session-form'),
  model: $('model'),
  voice: $('voice'),
  instructions: $('instructions'),
  turnType: $('turn-type'),
  eagerness: $('eagerness'),
  eagernessHelp: $('eagerness-help'),
  sessionState: $('session-state'),
  eventLog: $('event-log'),
  eventCount: $('event-count'),
};

const micMeter = new LevelMeter($('mic-level'));
const agentMeter = new LevelMeter($('agent-level'));
const conversation = new ConversationView($('turns'), $('turns-empty'));
let connection = null;
let microphone = null;
let eventCount = 0;
let updateSeq = 0;

// ---- settings -------------------------------------------------------------------------------------------------

ui.apiKey.value = settings.apiKey;
ui.serverUrl.value = settings.serverUrl;
ui.apiKey.addEventListener('change', () => {
  settings.apiKey = ui.apiKey.value.trim();
  ui.apiKey.value = settings.apiKey;
});
ui.serverUrl.addEventListener('change', () => {
  settings.serverUrl = ui.serverUrl.value.trim();
  checkServer();
});

function setServerState(ok, message) {
  ui.serverState.dataset.state = ok ? 'ok' : 'error';
  ui.serverState.textContent = ok ? `Server online · ${new URL(settings.base).host}` : message;
}

async function checkServer() {
  try {
    await health();
    setServerState(true);
    return true;
  } catch (e) {
    setServerState(false, e.message);
    return false;
  }
}

// ---- session controls -----------------------------------------------------------------------------------------

function turnDetection() {
  switch (ui.turnType.value) {
    case 'semantic_vad':
      return { type: 'semantic_vad', eagerness: ui.eagerness.value };
    case 'none':
      return null;
    default:
      return { type: 'server_vad' };
  }
}

/** The session config the controls describe, for client_secrets and session.update. */
function sessionConfig() {
  const session = {
    type: 'realtime',
    model: ui.model.value.trim() || 'gpt-realtime',
    audio: { input: { turn_detection: turnDetection() }, output: { voice: ui.voice.value } },
  };
  const instructions = ui.instructions.value.trim();
  if (instructions) session.instructions = instructions;
  return session;
}

function syncEagerness() {
  const semantic = ui.turnType.value === 'semantic_vad';
  const manual = ui.turnType.value === 'none';
  ui.reply.hidden = !manual || !connection;
  ui.replyHelp.hidden = ui.reply.hidden;
  ui.eagerness.disabled = !semantic;
  ui.eagernessHelp.textContent = semantic ? 'Low waits longer for you to finish; high answers sooner.' : 'Choose Semantic VAD to set eagerness.';
}

function applySession(extra) {
  syncEagerness();
  if (!connection) {
    ui.sessionState.textContent = 'Saved; applied when the call starts.';
    return;
  }
  const session = { ...sessionConfig(), ...extra };
  if (connection.kind === 'websocket') {
    session.audio.input.format = { type: 'audio/pcm', rate: 24000 };
    session.audio.output.format = { type: 'audio/pcm', rate: 24000 };
  }
  updateSeq += 1;
  const eventId = `console_update_${updateSeq}`;
  ui.sessionState.dataset.pending = eventId;
  ui.sessionState.dataset.state = 'pending';
  ui.sessionState.textContent = 'Applying…';
  connection.send({ type: 'session.update', event_id: eventId, session });
}

ui.form.addEventListener('submit', (e) => {
  e.preventDefault();
  applySession();
});
for (const control of [ui.voice, ui.turnType, ui.eagerness]) control.addEventListener('change', () => applySession());
syncEagerness();

function showSession(event) {
  const s = event.session || {};
  ui.sessionState.dataset.state = 'applied';
  delete ui.sessionState.dataset.pending;
  const verb = event.type === 'session.created' ? 'Session started' : 'Session updated';
  ui.sessionState.textContent = `✓ ${verb} ${new Date().toLocaleTimeString()}: ${s.model ?? ''} · voice ${s.audio?.output?.voice ?? '?'} · ${describeTurnDetection(s)}`;
}

// ---- event log ------------------------------------------------------------------------------------------------

function logEvent(e) {
  eventCount += 1;
  ui.eventCount.textContent = String(eventCount);
  prependEvent(ui.eventLog, e, 300);
}

// ---- talk -----------------------------------------------------------------------------------------------------

function setCallState(state, text) {
  ui.callState.dataset.state = state;
  ui.callState.textContent = text;
}

function showError(message) {
  ui.talkError.textContent = message;
  ui.talkError.hidden = !message;
}

function microphoneMessage(error) {
  switch (error?.name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return 'Microphone access was refused. Allow the microphone for this site (the icon at the left of the address bar), then press Talk again.';
    case 'NotFoundError':
    case 'OverconstrainedError':
      return 'No microphone was found. Connect one and press Talk again.';
    case 'NotReadableError':
      return 'The microphone is busy in another application or could not be started.';
    default:
      return `The microphone could not be opened: ${error?.message || error}`;
  }
}

function onEvent(e) {
  logEvent(e);
  conversation.handle(e);
  switch (e.type) {
    case 'session.created':
      if (connection?.kind === 'websocket') ui.callState.dataset.callId = e.session?.id ?? '';
      break;
    case 'session.updated':
      showSession(e);
      break;
    case 'input_audio_buffer.speech_started':
      setCallState('live', 'Hearing you…');
      break;
    case 'response.created':
      setCallState('live', 'The agent is answering…');
      break;
    case 'output_audio_buffer.stopped':
      setCallState('live', 'Listening. Speak any time.');
      break;
    case 'response.done':
      if (connection?.kind === 'websocket') setCallState('live', 'Listening. Speak any time.');
      break;
    case 'error': {
      const message = e.error?.message || 'The server reported an error.';
      if (e.error?.event_id && e.error.event_id === ui.sessionState.dataset.pending) {
        ui.sessionState.dataset.state = 'error';
        ui.sessionState.textContent = `Not applied: ${message}`;
      } else {
        showError(`Server error: ${message}`);
      }
      break;
    }
    default:
      break;
  }
}

function resetTalk() {
  ui.talk.disabled = false;
  ui.hangup.disabled = true;
  for (const input of document.querySelectorAll('input[name="transport"]')) input.disabled = false;
}

function onEnded(reason) {
  microphone?.getTracks().forEach((t) => t.stop());
  microphone = null;
  micMeter.detach();
  agentMeter.detach();
  connection = null;
  conversation.settle();
  syncEagerness();
  delete ui.callState.dataset.callId;
  setCallState('ended', `${reason} Press Talk to start again.`);
  resetTalk();
  ui.talk.focus();
}

async function talk() {
  showError('');
  ui.talk.disabled = true;
  for (const input of document.querySelectorAll('input[name="transport"]')) input.disabled = true;
  setCallState('connecting', 'Connecting…');
  if (!(await checkServer())) {
    showError(ui.serverState.textContent);
    setCallState('idle', 'Not connected.');
    resetTalk();
    return;
  }

  if (!navigator.mediaDevices?.getUserMedia) {
    showError('This browser cannot open a microphone here. Use a current browser, over https or on localhost.');
    setCallState('idle', 'Not connected.');
    resetTalk();
    return;
  }

  try {
    microphone = await navigator.mediaDevices.getUserMedia({
      audio: { echoCancellation: true, noiseSuppression: true, autoGainControl: true },
    });
  } catch (e) {
    showError(microphoneMessage(e));
    setCallState('idle', 'Not connected.');
    resetTalk();
    return;
  }
  micMeter.attachStream(microphone);

  const mode = document.querySelector('input[name="transport"]:checked').value;
  const common = { session: sessionConfig(), microphone, onEvent, onEnded };
  connection = mode === 'websocket'
    ? new WebSocketConnection({ ...common, model: ui.model.value.trim() || 'gpt-realtime', onPlaybackNode: (n) => agentMeter.attachNode(n) })
    : new WebRtcConnection({ ...common, audioElement: ui.audio, onRemoteStream: (s) => agentMeter.attachStream(s) });
  const current = connection;
  try {
    await current.start();
  } catch (e) {
    showError(e.message || String(e));
    current.end('Could not connect.');
    return;
  }
  if (current !== connection) return;
  if (current.callId) ui.callState.dataset.callId = current.callId;
  ui.callState.dataset.transport = current.kind;
  setCallState('live', `Connected over ${current.kind === 'webrtc' ? 'WebRTC' : 'WebSocket'}. Speak now.`);
  ui.hangup.disabled = false;
  applySession();
}

ui.talk.addEventListener('click', talk);
ui.hangup.addEventListener('click', () => connection?.hangUp());
// With turn detection off the client ends the user's turn itself (REALTIME-PROTOCOL.md §5.1).
ui.reply.addEventListener('click', () => {
  connection?.send({ type: 'input_audio_buffer.commit' });
  connection?.send({ type: 'response.create' });
});
$('clear-conversation').addEventListener('click', () => conversation.clear());

// ---- calls ----------------------------------------------------------------------------------------------------

const calls = new CallsView({
  body: $('calls-body'),
  empty: $('calls-empty'),
  state: $('calls-state'),
  message: $('calls-message'),
  monitor: $('monitor'),
  monitorLog: $('monitor-log'),
  monitorState: $('monitor-state'),
  monitorHeading: $('monitor-heading'),
  detach: $('detach'),
  dialog: $('transfer-dialog'),
  ownCallId: () => connection?.callId ?? null,
  onServerState: (reachable, message) => {
    if (!reachable) setServerState(false, message);
    else if (ui.serverState.dataset.state !== 'ok') setServerState(true);
  },
});

checkServer();
calls.start();
