// Load driver's WebRTC callers (bench/Load), on libwebrtc (@roamhq/wrtc), loopback only.
// Usage: node load-webrtc.js <baseUrl> <speech.raw 48 kHz s16le mono> <calls> <seconds>
// Keeps <calls> peer connections up for <seconds>: each POSTs its offer to /v1/realtime/calls (as OpenAI's WebRTC
// quick start does), loops the speech clip on its microphone track in real time (10 ms frames, paced by elapsed
// time: a late timer sends what it owes), and counts response.done events on "oai-events" and agent audio frames.
// With LOAD_MIN_S and LOAD_MAX_S set (soak), each call lasts a uniformly random time in that range and is replaced
// by a new one when it ends. Prints progress lines {"type":"progress",...} and one final {"type":"result",...}.
'use strict';
const fs = require('fs');
const wrtc = require('@roamhq/wrtc');

const [baseUrl, speechPath, callsArg, secondsArg] = process.argv.slice(2);
const CALLS = Number(callsArg);
const SECONDS = Number(secondsArg);
const MIN_S = Number(process.env.LOAD_MIN_S || 0);
const MAX_S = Number(process.env.LOAD_MAX_S || 0);
const { RTCAudioSource, RTCAudioSink } = wrtc.nonstandard;
const speech = fs.readFileSync(speechPath);
const clip = new Int16Array(speech.buffer, speech.byteOffset, Math.floor(speech.length / 2));
const FRAME = 480;

const result = { type: 'result', started: 0, connected: 0, answers: 0, audioFrames: 0, ended: 0, errors: [] };
const peers = new Set();
let stopping = false;

function startPeer() {
  const peer = { pc: new wrtc.RTCPeerConnection({ iceServers: [] }), source: new RTCAudioSource(), offset: Math.floor(Math.random() * clip.length / FRAME) * FRAME, sent: 0, start: Date.now(), callId: null, sink: null, connected: false };
  result.started++;
  const track = peer.source.createTrack();
  peer.track = track;
  peer.pc.addTrack(track, new wrtc.MediaStream([track]));
  peer.pc.ontrack = (event) => {
    peer.sink = new RTCAudioSink(event.track);
    peer.sink.ondata = () => { result.audioFrames++; };
  };
  peer.pc.onconnectionstatechange = () => {
    if (peer.pc.connectionState === 'connected' && !peer.connected) { peer.connected = true; result.connected++; }
  };
  const channel = peer.pc.createDataChannel('oai-events');
  channel.onmessage = (event) => {
    const text = String(event.data);
    if (text.includes('"response.done"')) result.answers++;
    else if (text.startsWith('{"type":"error"')) result.errors.push(text.slice(0, 200));
  };
  peers.add(peer);
  (async () => {
    try {
      const offer = await peer.pc.createOffer();
      await peer.pc.setLocalDescription(offer);
      const response = await fetch(baseUrl + '/v1/realtime/calls', {
        method: 'POST', body: peer.pc.localDescription.sdp,
        headers: { Authorization: 'Bearer load-driver', 'Content-Type': 'application/sdp' },
      });
      if (response.status !== 201) throw new Error('calls answered ' + response.status);
      peer.callId = (response.headers.get('location') || '').split('/').pop();
      await peer.pc.setRemoteDescription({ type: 'answer', sdp: await response.text() });
    } catch (e) {
      result.errors.push(String(e));
    }
  })();
  if (MAX_S > 0) {
    const life = (MIN_S + Math.random() * (MAX_S - MIN_S)) * 1000;
    setTimeout(() => endPeer(peer).then(() => { if (!stopping) startPeer(); }), life);
  }
}

async function endPeer(peer) {
  if (!peers.delete(peer)) return;
  try {
    if (peer.callId) {
      await fetch(baseUrl + '/v1/realtime/calls/' + peer.callId + '/hangup', { method: 'POST', headers: { Authorization: 'Bearer load-driver' } });
    }
  } catch (e) { /* the server may be gone already */ }
  try { if (peer.sink) peer.sink.stop(); peer.track.stop(); peer.pc.close(); } catch (e) { /* closing anyway */ }
  result.ended++;
}

const micTimer = setInterval(() => {
  const now = Date.now();
  for (const peer of peers) {
    const owed = Math.floor((now - peer.start) / 10);
    while (peer.sent < owed) {
      const frame = new Int16Array(FRAME);
      const at = (peer.offset + peer.sent * FRAME) % (clip.length - (clip.length % FRAME));
      frame.set(clip.subarray(at, at + FRAME));
      peer.source.onData({ samples: frame, sampleRate: 48000, bitsPerSample: 16, channelCount: 1, numberOfFrames: FRAME });
      peer.sent++;
    }
  }
}, 5);

const progressTimer = setInterval(() => {
  process.stdout.write(JSON.stringify({ type: 'progress', live: peers.size, connected: result.connected, answers: result.answers }) + '\n');
}, 5000);

async function stop() {
  if (stopping) return;
  stopping = true;
  clearInterval(micTimer);
  clearInterval(progressTimer);
  await Promise.all([...peers].map(endPeer));
  result.errors = result.errors.slice(0, 20);
  process.stdout.write(JSON.stringify(result) + '\n');
  setTimeout(() => process.exit(0), 300);
}

process.on('SIGTERM', stop);
process.on('SIGINT', stop);
for (let i = 0; i < CALLS; i++) setTimeout(startPeer, i * 100);
setTimeout(stop, SECONDS * 1000);
