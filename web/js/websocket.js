// The WebSocket fallback: the microphone streamed as 24 kHz 16-bit PCM in input_audio_buffer.append events, the
// agent's response.output_audio.delta chunks scheduled back to back on a 24 kHz AudioContext. The client owns
// playback here, so on barge-in it stops what is queued and tells the server how much was heard
// (conversation.item.truncate, REALTIME-PROTOCOL.md §5.2).

import { createClientSecret, openRealtimeSocket } from './api.js';
import { base64ToFloat32, int16ToBase64 } from './pcm.js';

const RATE = 24000;

export class WebSocketConnection {
  /**
   * @param {{ session: object, model: string, microphone: MediaStream,
   *           onEvent: (e: object) => void, onPlaybackNode: (n: AudioNode) => void, onEnded: (reason: string) => void }} options
   */
  constructor(options) {
    this.options = options;
    this.kind = 'websocket';
    this.socket = null;
    this.context = null;
    this.capture = null;
    this.output = null;
    this.callId = null;
    this.ended = false;
    this.sources = new Set();
    this.nextStart = 0;
    this.playing = null; // { itemId, startedAt (context seconds) }
  }

  async start() {
    const secret = await createClientSecret(this.options.session);
    this.context = new AudioContext({ sampleRate: RATE });
    await this.context.audioWorklet.addModule(new URL('./pcm-capture-worklet.js', import.meta.url));
    this.output = this.context.createGain();
    this.output.connect(this.context.destination);
    this.options.onPlaybackNode(this.output);

    const socket = openRealtimeSocket('model=' + encodeURIComponent(this.options.model), secret.value);
    this.socket = socket;
    await new Promise((resolve, reject) => {
      socket.onopen = resolve;
      socket.onerror = () => reject(new Error('The Realtime WebSocket could not be opened.'));
    });
    socket.onerror = null;
    socket.onclose = (e) => this.end(e.reason ? `The server closed the session: ${e.reason}` : 'The session ended.');
    socket.onmessage = (message) => {
      let event;
      try {
        event = JSON.parse(message.data);
      } catch {
        return;
      }
      this.handle(event);
      this.options.onEvent(event);
    };

    const source = this.context.createMediaStreamSource(this.options.microphone);
    this.capture = new AudioWorkletNode(this.context, 'pcm-capture');
    this.capture.port.onmessage = (m) => this.send({ type: 'input_audio_buffer.append', audio: int16ToBase64(m.data) });
    source.connect(this.capture);
    await this.context.resume();
  }

  handle(event) {
    switch (event.type) {
      case 'session.created':
        this.callId = event.session?.id ?? null;
        break;
      case 'response.output_audio.delta':
        this.play(event.item_id, base64ToFloat32(event.delta));
        break;
      case 'input_audio_buffer.speech_started':
        this.interrupt();
        break;
      default:
        break;
    }
  }

  play(itemId, samples) {
    if (samples.length === 0) return;
    const buffer = this.context.createBuffer(1, samples.length, RATE);
    buffer.copyToChannel(samples, 0);
    const node = this.context.createBufferSource();
    node.buffer = buffer;
    node.connect(this.output);
    const at = Math.max(this.context.currentTime + 0.02, this.nextStart);
    if (!this.playing || this.playing.itemId !== itemId) this.playing = { itemId, startedAt: at };
    node.start(at);
    this.nextStart = at + buffer.duration;
    this.sources.add(node);
    node.onended = () => this.sources.delete(node);
  }

  /** Barge-in: drop queued audio and truncate the agent's item to what was actually heard. */
  interrupt() {
    if (!this.playing || this.sources.size === 0) return;
    const heardMs = Math.max(0, Math.round((this.context.currentTime - this.playing.startedAt) * 1000));
    for (const node of this.sources) {
      try {
        node.stop();
      } catch {
        // already stopped
      }
    }
    this.sources.clear();
    this.nextStart = 0;
    this.send({ type: 'conversation.item.truncate', item_id: this.playing.itemId, content_index: 0, audio_end_ms: heardMs });
    this.playing = null;
  }

  send(event) {
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(event));
  }

  async hangUp() {
    this.end('You hung up.');
  }

  end(reason) {
    if (this.ended) return;
    this.ended = true;
    try {
      this.capture?.disconnect();
      if (this.socket && this.socket.readyState <= WebSocket.OPEN) this.socket.close(1000, 'hang up');
    } catch {
      // closing anyway
    }

    this.context?.close().catch(() => {});
    this.options.onEnded(reason);
  }
}
