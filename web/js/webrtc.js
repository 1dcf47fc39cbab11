// The browser WebRTC flow of OpenAI's Realtime guide, against this server: a short-lived key from
// /v1/realtime/client_secrets, the microphone as the one outgoing track, the client-created "oai-events" data
// channel for JSON events, the SDP offer POSTed to /v1/realtime/calls, and the agent's voice on the remote track.

import { createClientSecret, hangUp, postOffer } from './api.js';

export class WebRtcConnection {
  /**
   * @param {{ session: object, microphone: MediaStream, audioElement: HTMLAudioElement,
   *           onEvent: (e: object) => void, onRemoteStream: (s: MediaStream) => void, onEnded: (reason: string) => void }} options
   */
  constructor(options) {
    this.options = options;
    this.kind = 'webrtc';
    this.pc = null;
    this.channel = null;
    this.callId = null;
    this.ephemeralKey = null;
    this.ended = false;
    this.pending = [];
  }

  async start() {
    const secret = await createClientSecret(this.options.session);
    this.ephemeralKey = secret.value;

    const pc = new RTCPeerConnection();
    this.pc = pc;
    pc.ontrack = (event) => {
      const stream = event.streams[0] || new MediaStream([event.track]);
      this.options.audioElement.srcObject = stream;
      this.options.audioElement.play().catch(() => {
        // Autoplay can be refused before a gesture; the Talk click is one, so this is rare.
      });
      this.options.onRemoteStream(stream);
    };
    pc.onconnectionstatechange = () => {
      if (pc.connectionState === 'failed') this.end('The media connection failed.');
      else if (pc.connectionState === 'closed') this.end('The call ended.');
    };
    for (const track of this.options.microphone.getAudioTracks()) pc.addTrack(track, this.options.microphone);

    const channel = pc.createDataChannel('oai-events');
    this.channel = channel;
    channel.onopen = () => {
      for (const e of this.pending.splice(0)) channel.send(JSON.stringify(e));
    };
    channel.onmessage = (message) => {
      try {
        this.options.onEvent(JSON.parse(message.data));
      } catch {
        // one malformed event must not end the call
      }
    };
    channel.onclose = () => this.end('The server ended the call.');

    await pc.setLocalDescription(await pc.createOffer());
    const { answer, callId } = await postOffer(pc.localDescription.sdp, this.ephemeralKey);
    this.callId = callId;
    await pc.setRemoteDescription({ type: 'answer', sdp: answer });
  }

  /** Sends a client event; events sent before the channel opens go out as soon as it does. */
  send(event) {
    if (this.channel?.readyState === 'open') this.channel.send(JSON.stringify(event));
    else this.pending.push(event);
  }

  /** Asks the server to end the call, then closes the peer connection whatever it answered. */
  async hangUp() {
    if (this.callId && !this.ended) {
      try {
        await hangUp(this.callId, this.ephemeralKey);
      } catch {
        // the call may already be gone; closing below ends it on our side
      }
    }

    this.end('You hung up.');
  }

  end(reason) {
    if (this.ended) return;
    this.ended = true;
    try {
      this.channel?.close();
      this.pc?.close();
    } catch {
      // closing anyway
    }

    this.options.audioElement.srcObject = null;
    this.options.onEnded(reason);
  }
}
