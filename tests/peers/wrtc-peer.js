// A libwebrtc peer (@roamhq/wrtc) for interop tests, loopback only.
// Protocol on stdio, one JSON object per line:
//   stdout {"type":"offer","sdp":...}      our offer: audio (a 440 Hz tone) + data channel "oai-events"
//   stdin  {"type":"answer","sdp":...}     the server's answer
//   stdout {"type":"result",...}           what happened, when done or after TIMEOUT_MS
// The peer sends one data channel message when the channel opens and measures the level of received audio.
'use strict';
const wrtc = require('@roamhq/wrtc');
const readline = require('readline');

const TIMEOUT_MS = Number(process.env.PEER_TIMEOUT_MS || 15000);
const MIN_AUDIO_FRAMES = Number(process.env.PEER_MIN_AUDIO_FRAMES || 50);
const MIN_CONNECTED_MS = Number(process.env.PEER_MIN_CONNECTED_MS || 0);
const BIG_MESSAGE_BYTES = Number(process.env.PEER_BIG_MESSAGE_BYTES || 100000);
let connectedAt = 0;
const { RTCAudioSource, RTCAudioSink } = wrtc.nonstandard;

const result = {
  type: 'result',
  connectionState: 'new',
  everConnected: false,
  dataChannelOpen: false,
  messagesReceived: [],
  bigMessageLengths: [],
  audioFramesReceived: 0,
  loudAudioFrames: 0,
  maxRms: 0,
  sampleRates: [],
  errors: [],
};

const pc = new wrtc.RTCPeerConnection({ iceServers: [] });
const source = new RTCAudioSource();
const track = source.createTrack();
const stream = new wrtc.MediaStream([track]);
pc.addTrack(track, stream);

// 440 Hz tone, 10 ms frames at 48 kHz mono.
let phase = 0;
const toneTimer = setInterval(() => {
  const samples = new Int16Array(480);
  for (let i = 0; i < samples.length; i++) {
    samples[i] = Math.round(8000 * Math.sin(phase));
    phase += (2 * Math.PI * 440) / 48000;
  }
  source.onData({ samples, sampleRate: 48000, bitsPerSample: 16, channelCount: 1, numberOfFrames: 480 });
}, 10);

let sink = null;
pc.ontrack = (event) => {
  sink = new RTCAudioSink(event.track);
  sink.ondata = (data) => {
    result.audioFramesReceived++;
    if (!result.sampleRates.includes(data.sampleRate)) result.sampleRates.push(data.sampleRate);
    let sum = 0;
    const s = data.samples;
    for (let i = 0; i < s.length; i++) sum += s[i] * s[i];
    const rms = Math.sqrt(sum / Math.max(1, s.length));
    if (rms > result.maxRms) result.maxRms = rms;
    if (rms > 300) result.loudAudioFrames++;
    check();
  };
};

const channel = pc.createDataChannel('oai-events');
channel.onopen = () => {
  result.dataChannelOpen = true;
  channel.send(JSON.stringify({ type: 'hello.from.libwebrtc' }));
  if (BIG_MESSAGE_BYTES > 0) channel.send('big:' + 'x'.repeat(BIG_MESSAGE_BYTES));
};
channel.onmessage = (event) => {
  const text = String(event.data);
  if (text.startsWith('big:')) result.bigMessageLengths.push(text.length);
  else result.messagesReceived.push(text);
  check();
};

pc.onconnectionstatechange = () => {
  result.connectionState = pc.connectionState;
  if (pc.connectionState === 'connected' && !result.everConnected) {
    result.everConnected = true;
    connectedAt = Date.now();
    if (MIN_CONNECTED_MS > 0) setTimeout(check, MIN_CONNECTED_MS + 10);
  }
  check();
};

let finished = false;
function finish() {
  if (finished) return;
  finished = true;
  clearInterval(toneTimer);
  result.connectionState = pc.connectionState;
  process.stdout.write(JSON.stringify(result) + '\n');
  setTimeout(() => {
    try { if (sink) sink.stop(); track.stop(); pc.close(); } catch (e) { /* closing anyway */ }
    process.exit(0);
  }, 200);
}

function check() {
  if (result.everConnected && Date.now() - connectedAt >= MIN_CONNECTED_MS
    && result.messagesReceived.length > 0 && result.loudAudioFrames >= MIN_AUDIO_FRAMES) finish();
}

setTimeout(finish, TIMEOUT_MS);

(async () => {
  try {
    const offer = await pc.createOffer();
    await pc.setLocalDescription(offer);
    process.stdout.write(JSON.stringify({ type: 'offer', sdp: pc.localDescription.sdp }) + '\n');
    const rl = readline.createInterface({ input: process.stdin });
    rl.on('line', async (line) => {
      try {
        const message = JSON.parse(line);
        if (message.type === 'answer') await pc.setRemoteDescription({ type: 'answer', sdp: message.sdp });
        if (message.type === 'close') finish();
      } catch (e) {
        result.errors.push(String(e));
        finish();
      }
    });
  } catch (e) {
    result.errors.push(String(e));
    finish();
  }
})();
