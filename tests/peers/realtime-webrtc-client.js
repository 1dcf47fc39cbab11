// A browser-like Realtime client over WebRTC, on libwebrtc (@roamhq/wrtc), loopback only.
// It does what OpenAI's WebRTC quick start does: POST the SDP offer to /v1/realtime/calls, open "oai-events",
// send speech on the microphone track, and listen to the agent's track.
// Usage: node realtime-webrtc-client.js <baseUrl> <speech.raw 48 kHz s16le mono> <apiKey>
// Prints one JSON line: {events:[types...], transcript, agentTranscript, loudAudioFrames, maxRms, callId, errors}
'use strict';
const fs = require('fs');
const wrtc = require('@roamhq/wrtc');
const { startCall, reportOnce } = require('./realtime-webrtc-call');

const [baseUrl, speechPath, apiKey] = process.argv.slice(2);
const TIMEOUT_MS = Number(process.env.PEER_TIMEOUT_MS || 45000);
const { RTCAudioSource, RTCAudioSink } = wrtc.nonstandard;
const speech = fs.readFileSync(speechPath);
const samples = new Int16Array(speech.buffer, speech.byteOffset, Math.floor(speech.length / 2));

const result = { events: [], transcript: null, agentTranscript: null, loudAudioFrames: 0, audioFrames: 0, maxRms: 0, callId: null, status: null, errors: [] };
const pc = new wrtc.RTCPeerConnection({ iceServers: [] });
const source = new RTCAudioSource();
const track = source.createTrack();
pc.addTrack(track, new wrtc.MediaStream([track]));

// The microphone: silence until the session is up (so no word is lost to connection setup), then the speech once,
// then silence, in 10 ms frames.
let offset = 0;
let speaking = false;
// Frames are paced by elapsed time, not by timer ticks: a late timer sends the frames it owes, so the microphone
// keeps real time even when the machine is busy.
const micStart = Date.now();
let framesSent = 0;
const micTimer = setInterval(() => {
  const owed = Math.floor((Date.now() - micStart) / 10);
  while (framesSent < owed) {
    const frame = new Int16Array(480);
    if (speaking && offset < samples.length) {
      frame.set(samples.subarray(offset, Math.min(offset + 480, samples.length)));
      offset += 480;
    }
    source.onData({ samples: frame, sampleRate: 48000, bitsPerSample: 16, channelCount: 1, numberOfFrames: 480 });
    framesSent++;
  }
}, 5);

let sink = null;
pc.ontrack = (event) => {
  sink = new RTCAudioSink(event.track);
  sink.ondata = (data) => {
    result.audioFrames++;
    let sum = 0;
    for (let i = 0; i < data.samples.length; i++) sum += data.samples[i] * data.samples[i];
    const rms = Math.sqrt(sum / Math.max(1, data.samples.length));
    if (rms > result.maxRms) result.maxRms = rms;
    if (rms > 300) result.loudAudioFrames++;
  };
};

const channel = pc.createDataChannel('oai-events');
channel.onmessage = (event) => {
  const e = JSON.parse(String(event.data));
  result.events.push(e.type);
  if (e.type === 'session.created') setTimeout(() => { speaking = true; }, 300);
  if (e.type === 'conversation.item.input_audio_transcription.completed') result.transcript = e.transcript;
  if (e.type === 'response.output_audio_transcript.done') result.agentTranscript = e.transcript;
  if (e.type === 'response.done') {
    result.status = e.response.status;
    setTimeout(finish, 1500); // let the paced audio play out
  }
};

const finish = reportOnce(result, {
  stop: () => clearInterval(micTimer),
  close: () => { if (sink) sink.stop(); track.stop(); pc.close(); },
  timeoutMs: TIMEOUT_MS,
});

(async () => {
  try {
    result.callId = await startCall(pc, baseUrl, apiKey);
  } catch (e) {
    result.errors.push(String(e));
    finish();
  }
})();
