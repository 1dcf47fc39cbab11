// The live conversation: user and agent turns built from Realtime server events as they stream, with the voice
// profile of each user turn (providerData.voiceProfile), the agent's bracket tags styled inline, tool calls with
// their arguments and results, and each response's latency breakdown when the server reports one.

const TAG = /\[([^\[\]\n]{1,60})\]/g;

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** Writes text into a node, turning [tags] into styled spans (never innerHTML: the text is untrusted). */
export function renderTagged(node, text) {
  node.replaceChildren();
  let last = 0;
  for (const match of text.matchAll(TAG)) {
    if (match.index > last) node.append(text.slice(last, match.index));
    const tag = el('span', 'tag', match[1]);
    tag.title = 'Delivery cue, not spoken';
    node.append(tag);
    last = match.index + match[0].length;
  }
  if (last < text.length) node.append(text.slice(last));
}

function formatMs(value) {
  return value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${Math.round(value)} ms`;
}

function humanise(key) {
  return key.replace(/_ms$|Ms$/, '').replace(/[_-]+/g, ' ').replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}

/** Where a server may put per-turn latency on response.done: an extension object of named millisecond values. */
export function findLatency(event) {
  const r = event.response || {};
  const candidates = [r.latency, r.metrics?.latency, r.providerData?.latency, r.metadata?.latency, event.latency];
  for (const c of candidates) {
    if (c && typeof c === 'object') {
      const parts = Object.entries(c).filter(([, v]) => typeof v === 'number' && Number.isFinite(v));
      if (parts.length > 0) return parts;
    }
  }
  return null;
}

export class ConversationView {
  constructor(list, emptyNote) {
    this.list = list;
    this.emptyNote = emptyNote;
    this.turns = new Map(); // item id -> { node, text, textNode }
    this.tools = new Map(); // call_id -> { args, result }
    this.responses = new Map(); // response id -> agent turn ids
  }

  clear() {
    this.list.replaceChildren();
    this.turns.clear();
    this.tools.clear();
    this.responses.clear();
    this.emptyNote.hidden = false;
  }

  /** The call ended: turns still waiting for words are dropped, streaming ones are closed. */
  settle() {
    for (const [id, t] of this.turns) {
      if (!t.text && t.role === 'user') {
        t.node.remove();
        this.turns.delete(id);
      } else if (t.node.classList.contains('streaming')) {
        t.node.classList.remove('streaming');
        t.state.textContent = '';
      }
    }
    if (this.list.children.length === 0) this.emptyNote.hidden = false;
  }

  add(node) {
    this.emptyNote.hidden = true;
    this.list.append(node);
    node.scrollIntoView?.({ block: 'nearest' });
  }

  turn(itemId, role) {
    let turn = this.turns.get(itemId);
    if (turn) return turn;
    const node = el('li', `turn ${role}`);
    node.dataset.itemId = itemId;
    const head = el('div', 'turn-head');
    head.append(el('span', 'who', role === 'user' ? 'You' : 'Agent'));
    const state = el('span', 'turn-state');
    head.append(state);
    const textNode = el('p', 'text');
    node.append(head, textNode);
    turn = { node, text: '', textNode, state, role };
    this.turns.set(itemId, turn);
    this.add(node);
    return turn;
  }

  setText(turn, text, final) {
    turn.text = text;
    renderTagged(turn.textNode, text);
    turn.node.classList.toggle('streaming', !final);
    if (final) turn.state.textContent = '';
  }

  handle(event) {
    switch (event.type) {
      case 'input_audio_buffer.speech_started': {
        const t = this.turn(event.item_id, 'user');
        if (!t.text) {
          t.state.textContent = 'speaking…';
          t.node.classList.add('streaming');
        }
        break;
      }
      case 'input_audio_buffer.speech_stopped': {
        const t = this.turns.get(event.item_id);
        if (t && !t.text) t.state.textContent = 'transcribing…';
        break;
      }
      case 'conversation.item.input_audio_transcription.delta': {
        const t = this.turn(event.item_id, 'user');
        this.setText(t, t.text + (event.delta || ''), false);
        break;
      }
      case 'conversation.item.input_audio_transcription.completed': {
        const t = this.turn(event.item_id, 'user');
        this.setText(t, event.transcript || '', true);
        if (!event.transcript) t.state.textContent = '(no words heard)';
        const profile = event.providerData?.voiceProfile ?? event.provider_data?.voiceProfile;
        if (profile) this.renderProfile(t, profile);
        break;
      }
      case 'conversation.item.input_audio_transcription.failed': {
        const t = this.turn(event.item_id, 'user');
        t.state.textContent = 'transcription failed';
        t.node.classList.remove('streaming');
        break;
      }
      case 'conversation.item.added':
        this.itemAdded(event.item || {});
        break;
      case 'response.output_audio_transcript.delta':
      case 'response.output_text.delta': {
        const t = this.turn(event.item_id, 'agent');
        this.track(event.response_id, event.item_id);
        this.setText(t, t.text + (event.delta || ''), false);
        break;
      }
      case 'response.output_audio_transcript.done':
      case 'response.output_text.done': {
        const t = this.turn(event.item_id, 'agent');
        this.track(event.response_id, event.item_id);
        this.setText(t, event.transcript ?? event.text ?? t.text, true);
        break;
      }
      case 'conversation.item.truncated': {
        const t = this.turns.get(event.item_id);
        if (t) t.state.textContent = `cut at ${formatMs(event.audio_end_ms || 0)}`;
        break;
      }
      case 'response.output_item.added':
        if (event.item?.type === 'function_call') this.toolCall(event.item);
        break;
      case 'response.function_call_arguments.delta': {
        const call = this.tools.get(event.call_id);
        if (call) {
          call.argsText += event.delta || '';
          call.args.textContent = call.argsText;
        }
        break;
      }
      case 'response.function_call_arguments.done': {
        const call = this.tools.get(event.call_id) || this.toolCall({ call_id: event.call_id, name: event.name });
        call.argsText = event.arguments || '';
        call.args.textContent = pretty(call.argsText);
        break;
      }
      case 'response.done':
        this.responseDone(event);
        break;
      default:
        break;
    }
  }

  track(responseId, itemId) {
    if (!responseId) return;
    const items = this.responses.get(responseId) || new Set();
    items.add(itemId);
    this.responses.set(responseId, items);
  }

  itemAdded(item) {
    if (item.type === 'function_call_output') {
      const call = this.tools.get(item.call_id);
      if (call) {
        call.result.textContent = pretty(item.output || '');
        call.resultRow.hidden = false;
        call.node.classList.add('answered');
      }
      return;
    }
    if (item.type === 'message' && item.role === 'user') {
      const typed = (item.content || []).filter((c) => c.type === 'input_text').map((c) => c.text).join(' ');
      if (typed) this.setText(this.turn(item.id, 'user'), typed, true);
    }
  }

  toolCall(item) {
    if (this.tools.has(item.call_id)) return this.tools.get(item.call_id);
    const node = el('li', 'turn tool');
    const head = el('div', 'turn-head');
    head.append(el('span', 'who', 'Tool call'), el('code', 'tool-name', item.name || 'function'));
    const dl = el('dl', 'tool-io');
    const args = el('pre', 'tool-args', item.arguments || '');
    const result = el('pre', 'tool-result', '');
    const argsRow = el('div');
    argsRow.append(el('dt', null, 'Arguments'), wrapDd(args));
    const resultRow = el('div');
    resultRow.append(el('dt', null, 'Result'), wrapDd(result));
    resultRow.hidden = true;
    dl.append(argsRow, resultRow);
    node.append(head, dl);
    const call = { node, args, argsText: item.arguments || '', result, resultRow };
    this.tools.set(item.call_id, call);
    this.add(node);
    return call;
  }

  responseDone(event) {
    const response = event.response || {};
    const items = this.responses.get(response.id) || new Set((response.output || []).map((o) => o.id));
    const agentTurns = [...items].map((id) => this.turns.get(id)).filter(Boolean);
    for (const t of agentTurns) t.node.classList.remove('streaming');
    if (response.status === 'cancelled' || response.status === 'incomplete') {
      for (const t of agentTurns) {
        t.state.textContent = response.status === 'cancelled' ? 'interrupted' : 'incomplete';
        t.node.classList.add('interrupted');
      }
    } else if (response.status === 'failed') {
      for (const t of agentTurns) t.state.textContent = 'failed';
    }
    const latency = findLatency(event);
    const last = agentTurns[agentTurns.length - 1];
    if (latency && last) this.renderLatency(last, latency);
  }

  renderProfile(turn, profile) {
    turn.node.querySelector('.profile')?.remove();
    const list = el('ul', 'profile');
    list.setAttribute('aria-label', 'Voice profile');
    for (const [dimension, values] of Object.entries(profile)) {
      if (!Array.isArray(values)) continue;
      for (const v of values.slice(0, 2)) {
        if (!v || typeof v.label !== 'string') continue;
        const confidence = typeof v.confidence === 'number' ? v.confidence : 0;
        const chip = el('li', 'chip');
        chip.dataset.dimension = dimension;
        if (confidence === 0 || v.label === 'unknown') chip.classList.add('unknown');
        chip.append(el('span', 'chip-dim', humanise(dimension)), ' ', el('span', 'chip-label', v.label), ' ',
          el('span', 'chip-conf', `${Math.round(confidence * 100)}%`));
        list.append(chip);
      }
    }
    if (list.children.length > 0) turn.node.append(list);
  }

  renderLatency(turn, parts) {
    turn.node.querySelector('.latency')?.remove();
    const box = el('div', 'latency');
    const total = parts.find(([k]) => /total/i.test(k));
    const pieces = parts.filter(([k]) => !/total/i.test(k));
    const sum = total ? total[1] : pieces.reduce((a, [, v]) => a + Math.max(0, v), 0);
    box.append(el('span', 'latency-title', `Latency ${formatMs(sum)}`));
    const bar = el('div', 'latency-bar');
    bar.setAttribute('aria-hidden', 'true');
    const legend = el('ul', 'latency-parts');
    pieces.forEach(([k, v], i) => {
      const seg = el('span', `seg seg-${i % 6}`);
      seg.style.flexGrow = String(Math.max(0, v));
      bar.append(seg);
      const li = el('li', null);
      li.append(el('span', `swatch seg-${i % 6}`), `${humanise(k)} ${formatMs(v)}`);
      legend.append(li);
    });
    box.append(bar, legend);
    turn.node.append(box);
  }
}

function wrapDd(child) {
  const dd = document.createElement('dd');
  dd.append(child);
  return dd;
}

function pretty(text) {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}
