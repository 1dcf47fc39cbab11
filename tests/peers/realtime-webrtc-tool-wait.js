// A WebRTC Realtime client (libwebrtc via @roamhq/wrtc, loopback only) that declares a function tool, makes the
// model call it, and then takes its time answering: it counts the RTP packets the server sends while it waits.
// Usage: node realtime-webrtc-tool-wait.js <baseUrl> <apiKey> <waitMs>
// Prints one JSON line: {events:[types...], waitPackets, waitMs, functionName, finalTranscript, status, finalStopped,
// errors}
'use strict';
const wrtc = require('@roamhq/wrtc');
const { startCall, reportOnce } = require('./realtime-webrtc-call');

const [baseUrl, apiKey, waitArg] = process.argv.slice(2);
const WAIT_MS = Number(waitArg || 2000);
const TIMEOUT_MS = Number(process.env.PEER_TIMEOUT_MS || 45000);
const { RTCAudioSource } = wrtc.nonstandard;

const result = { events: [], waitPackets: null, waitMs: WAIT_MS, functionName: null, finalTranscript: null, status: null,
  finalStopped: false, errors: [] };
const pc = new wrtc.RTCPeerConnection({ iceServers: [] });
const source = new RTCAudioSource();
const track = source.createTrack();
pc.addTrack(track, new wrtc.MediaStream([track]));
// A silent microphone keeps the send side alive, as a browser's would.
const micTimer = setInterval(() => {
  source.onData({ samples: new Int16Array(480), sampleRate: 48000, bitsPerSample: 16, channelCount: 1, numberOfFrames: 480 });
}, 10);

async function packetsReceived() {
  const report = await pc.getStats();
  let packets = 0;
  report.forEach((s) => { if (s.type === 'inbound-rtp' && (s.kind === 'audio' || s.mediaType === 'audio')) packets += s.packetsReceived || 0; });
  return packets;
}

const channel = pc.createDataChannel('oai-events');
const send = (e) => channel.send(JSON.stringify(e));
let phase = 'setup';
channel.onmessage = async (event) => {
  const e = JSON.parse(String(event.data));
  result.events.push(e.type);
  if (e.type === 'session.created') {
    send({ type: 'session.update', session: { type: 'realtime', output_modalities: ['audio'], audio: { input: { turn_detection: null } },
      tools: [{ type: 'function', name: 'get_weather', description: 'Weather for a city',
        parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } }] } });
  } else if (e.type === 'session.updated' && phase === 'setup') {
    phase = 'asked';
    send({ type: 'conversation.item.create', item: { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'what is the weather in Oslo' }] } });
    send({ type: 'response.create' });
  } else if (e.type === 'response.function_call_arguments.done') {
    result.functionName = e.name;
    result.callId = e.call_id;
  } else if (e.type === 'response.done' && phase === 'asked') {
    phase = 'waiting';
    result.status = e.response.status;
    // The server has nothing to say until the tool's output comes: count what it sends meanwhile.
    await new Promise((r) => setTimeout(r, 300));
    const before = await packetsReceived();
    await new Promise((r) => setTimeout(r, WAIT_MS));
    result.waitPackets = (await packetsReceived()) - before;
    phase = 'answered';
    send({ type: 'conversation.item.create', item: { type: 'function_call_output', call_id: result.callId, output: '{"temperature_c":4}' } });
    send({ type: 'response.create' });
  } else if (e.type === 'response.output_audio_transcript.done' && phase === 'answered') {
    result.finalTranscript = e.transcript;
  } else if (e.type === 'response.done' && phase === 'answered') {
    result.status = e.response.status;
    phase = 'playing'; // the answer is still playing out: its output_audio_buffer.stopped ends the run
  } else if (e.type === 'output_audio_buffer.stopped' && phase === 'playing') {
    result.finalStopped = true;
    finish();
  }
};

const finish = reportOnce(result, {
  stop: () => clearInterval(micTimer),
  close: () => { track.stop(); pc.close(); },
  timeoutMs: TIMEOUT_MS,
});

(async () => {
  try {
    await startCall(pc, baseUrl, apiKey); // the call id in result is the function call's
  } catch (e) {
    result.errors.push(String(e));
    finish();
  }
})();
