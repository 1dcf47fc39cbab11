// The operations view: every live call and WebSocket session from GET /v1/realtime/calls, polled once a second,
// with attach (a ?call_id= sideband socket whose events are listed), transfer (SIP REFER) and hang up.

import { hangUp, listCalls, openRealtimeSocket, refer, settings } from './api.js';
import { prependEvent } from './events.js';

const TRANSPORT_NAMES = { webrtc: 'WebRTC', sip: 'SIP', websocket: 'WebSocket' };

function formatDuration(ms) {
  if (typeof ms !== 'number') return '—';
  const s = Math.floor(ms / 1000);
  const m = Math.floor(s / 60);
  const h = Math.floor(m / 60);
  const pad = (n) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${pad(m % 60)}:${pad(s % 60)}` : `${m}:${pad(s % 60)}`;
}

function formatLoss(stats) {
  if (!stats) return '—';
  const expected = stats.packets_received + stats.packets_lost;
  const pct = expected > 0 ? (100 * stats.packets_lost) / expected : 0;
  return `${pct.toFixed(1)}% (${stats.packets_lost})`;
}

function cell(label, text, className) {
  const td = document.createElement('td');
  td.dataset.label = label;
  if (className) td.className = className;
  td.textContent = text;
  return td;
}

function button(text, className, label, onClick) {
  const b = document.createElement('button');
  b.type = 'button';
  b.className = className;
  b.textContent = text;
  b.setAttribute('aria-label', label);
  b.addEventListener('click', onClick);
  return b;
}

export class CallsView {
  constructor({ body, empty, state, message, monitor, monitorLog, monitorState, monitorHeading, detach, dialog, ownCallId, onServerState }) {
    Object.assign(this, { body, empty, state, message, monitor, monitorLog, monitorState, monitorHeading, dialog, ownCallId, onServerState });
    this.timer = 0;
    this.attached = null; // { callId, socket }
    this.rows = new Map();
    detach.addEventListener('click', () => this.detach());
  }

  start() {
    const poll = async () => {
      await this.refresh();
      this.timer = setTimeout(poll, 1000);
    };
    poll();
  }

  async refresh() {
    let calls;
    try {
      calls = await listCalls();
    } catch (e) {
      this.state.textContent = e.unreachable ? 'Server unreachable, retrying…' : e.message;
      this.state.dataset.state = 'error';
      this.onServerState?.(!e.unreachable, e.unreachable ? e.message : null);
      return;
    }
    this.onServerState?.(true, null);
    this.state.dataset.state = 'ok';
    this.state.textContent = `${calls.length} live · updated ${new Date().toLocaleTimeString()}`;
    this.render(calls);
  }

  render(calls) {
    const seen = new Set();
    for (const call of calls) {
      seen.add(call.id);
      let row = this.rows.get(call.id);
      if (!row) {
        row = this.createRow(call);
        this.rows.set(call.id, row);
        this.body.append(row.tr);
      }
      this.updateRow(row, call);
    }
    for (const [id, row] of this.rows) {
      if (!seen.has(id)) {
        // Keep keyboard focus inside the table when the focused row goes away.
        if (row.tr.contains(document.activeElement)) this.body.closest('table')?.focus?.();
        row.tr.remove();
        this.rows.delete(id);
        if (this.attached?.callId === id) this.monitorState.textContent = 'The call ended.';
      }
    }
    this.empty.hidden = calls.length > 0;
    this.body.closest('table').hidden = calls.length === 0;
  }

  createRow(call) {
    const tr = document.createElement('tr');
    tr.dataset.callId = call.id;
    tr.dataset.transport = call.transport;
    const idCell = document.createElement('th');
    idCell.scope = 'row';
    idCell.dataset.label = 'Call';
    const code = document.createElement('code');
    code.textContent = call.id;
    code.title = call.id;
    idCell.append(code);
    const own = document.createElement('span');
    own.className = 'own';
    own.textContent = 'you';
    own.hidden = true;
    idCell.append(own);
    const cells = {
      transport: cell('Transport', TRANSPORT_NAMES[call.transport] || call.transport, 'transport'),
      duration: cell('Duration', '', 'duration'),
      codec: cell('Codec', '', 'codec'),
      jitter: cell('Jitter', '', 'jitter'),
      loss: cell('Loss', '', 'loss'),
      speaker: cell('Speaking', '', 'speaker'),
    };
    const actions = document.createElement('td');
    actions.className = 'actions';
    actions.dataset.label = 'Actions';
    const group = document.createElement('div');
    group.className = 'action-buttons';
    actions.append(group);
    const isCall = call.transport !== 'websocket';
    if (isCall) {
      group.append(button('Attach', 'secondary small', `Attach to call ${call.id}`, () => this.attach(call.id)));
    }
    if (call.transport === 'sip') {
      group.append(button('Transfer', 'secondary small', `Transfer call ${call.id}`, () => this.transfer(call.id)));
    }
    if (isCall) {
      group.append(button('Hang up', 'danger small', `Hang up call ${call.id}`, () => this.hangUp(call.id)));
    }
    tr.append(idCell, cells.transport, cells.duration, cells.codec, cells.jitter, cells.loss, cells.speaker, actions);
    return { tr, cells, own };
  }

  updateRow(row, call) {
    const { cells } = row;
    cells.duration.textContent = formatDuration(call.duration_ms);
    cells.codec.textContent = call.codec || '—';
    cells.jitter.textContent = call.stats ? `${call.stats.jitter_ms.toFixed(1)} ms` : '—';
    cells.loss.textContent = formatLoss(call.stats);
    // WebSocket sessions do not report who speaks (the client plays the audio): say nothing rather than guess.
    const speaker = call.status === 'ringing' ? 'ringing'
      : typeof call.agent_speaking !== 'boolean' ? '—'
      : call.agent_speaking ? 'agent' : 'caller / silence';
    cells.speaker.textContent = speaker;
    cells.speaker.dataset.speaker = call.agent_speaking ? 'agent' : 'caller';
    const own = this.ownCallId() === call.id;
    row.own.hidden = !own;
    row.tr.classList.toggle('own-call', own);
  }

  async hangUp(callId) {
    try {
      await hangUp(callId);
      this.say(`Hung up ${callId}.`);
    } catch (e) {
      this.say(`Hang up failed: ${e.message}`, true);
    }
    await this.refresh();
  }

  transfer(callId) {
    const dialog = this.dialog;
    const form = dialog.querySelector('form');
    const input = dialog.querySelector('#transfer-target');
    const error = dialog.querySelector('#transfer-error');
    error.hidden = true;
    input.value = '';
    dialog.returnValue = '';
    dialog.onclose = async () => {
      if (dialog.returnValue !== 'ok') return;
      try {
        await refer(callId, input.value.trim());
        this.say(`Transferring ${callId} to ${input.value.trim()}…`);
      } catch (e) {
        this.say(`Transfer failed: ${e.message}`, true);
      }
    };
    form.onsubmit = null;
    dialog.showModal();
    input.focus();
  }

  /** The outcome of the operator's last action; stays until the next one (the poll status changes every second). */
  say(text, isError = false) {
    this.message.textContent = text;
    this.message.dataset.state = isError ? 'error' : 'ok';
  }

  attach(callId) {
    this.detach();
    const socket = openRealtimeSocket('call_id=' + encodeURIComponent(callId), settings.apiKey);
    this.attached = { callId, socket };
    this.monitor.hidden = false;
    this.monitorHeading.textContent = `Attached to ${callId}`;
    this.monitorState.textContent = 'Connecting…';
    this.monitorLog.replaceChildren();
    socket.onopen = () => {
      this.monitorState.textContent = 'Watching this call\'s events live.';
    };
    socket.onerror = () => {
      this.monitorState.textContent = 'Could not attach (the call may have ended).';
    };
    socket.onclose = () => {
      if (this.attached?.socket === socket) this.monitorState.textContent = 'Detached: the monitor socket closed.';
    };
    socket.onmessage = (m) => {
      let e;
      try {
        e = JSON.parse(m.data);
      } catch {
        return;
      }
      prependEvent(this.monitorLog, e, 200);
    };
    this.monitorHeading.scrollIntoView?.({ block: 'nearest' });
  }

  detach() {
    if (!this.attached) {
      this.monitor.hidden = true;
      return;
    }
    const { socket } = this.attached;
    this.attached = null;
    try {
      socket.close(1000, 'detach');
    } catch {
      // already closed
    }
    this.monitor.hidden = true;
  }
}
