// Debian's headless Chromium as a WebRTC peer for interop tests, driven by playwright-core (no browser download).
// Same stdio protocol as wrtc-peer.js:
//   stdout {"type":"offer","sdp":...}   audio (a 440 Hz WebAudio oscillator) + data channel "oai-events"
//   stdin  {"type":"answer","sdp":...}
//   stdout {"type":"result",...}        connection, data channel, received audio level, getStats() inbound-rtp
'use strict';
const http = require('http');
const readline = require('readline');
const { chromium } = require('playwright-core');

const TIMEOUT_MS = Number(process.env.PEER_TIMEOUT_MS || 20000);
const MIN_CONNECTED_MS = Number(process.env.PEER_MIN_CONNECTED_MS || 0);
const MIN_AUDIO_FRAMES = Number(process.env.PEER_MIN_AUDIO_FRAMES || 25);
const EXECUTABLE = process.env.CHROMIUM || '/usr/bin/chromium';

const FLAGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream',
  '--autoplay-policy=no-user-gesture-required', '--allow-loopback-in-peer-connection',
];

async function main() {
  // http://127.0.0.1 is a secure context, unlike about:blank or data: URLs.
  const server = http.createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<!doctype html><title>peer</title>');
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const browser = await chromium.launch({ executablePath: EXECUTABLE, headless: true, args: FLAGS });
  let finished = false;
  const finish = async (extra) => {
    if (finished) return;
    finished = true;
    let result = { errors: [] };
    try {
      result = await page.evaluate(async () => {
        const stats = await window.pc.getStats();
        const inbound = [...stats.values()].find((s) => s.type === 'inbound-rtp' && s.kind === 'audio') || {};
        const transport = [...stats.values()].find((s) => s.type === 'transport') || {};
        return {
          ...window.result,
          connectionState: window.pc.connectionState,
          inboundPacketsReceived: inbound.packetsReceived || 0,
          inboundAudioLevel: inbound.audioLevel || 0,
          inboundTotalAudioEnergy: inbound.totalAudioEnergy || 0,
          dtlsCipher: transport.dtlsCipher || '',
          srtpCipher: transport.srtpCipher || '',
          tlsVersion: transport.tlsVersion || '',
        };
      });
    } catch (e) {
      result.errors.push(String(e));
    }
    Object.assign(result, extra || {});
    result.type = 'result';
    process.stdout.write(JSON.stringify(result) + '\n');
    await browser.close().catch(() => {});
    server.close();
    process.exit(0);
  };

  const page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${server.address().port}/`);
  const offer = await page.evaluate(async () => {
    const result = { messagesReceived: [], maxRms: 0, loudAudioFrames: 0, everConnected: false, connectedAt: 0, dataChannelOpen: false, errors: [] };
    window.result = result;
    const pc = new RTCPeerConnection();
    window.pc = pc;
    const ctx = new AudioContext({ sampleRate: 48000 });
    await ctx.resume();
    const osc = ctx.createOscillator();
    osc.frequency.value = 440;
    const gain = ctx.createGain();
    gain.gain.value = 0.3;
    const destination = ctx.createMediaStreamDestination();
    osc.connect(gain).connect(destination);
    osc.start();
    pc.addTrack(destination.stream.getAudioTracks()[0], destination.stream);
    pc.ontrack = (event) => {
      const stream = event.streams[0] || new MediaStream([event.track]);
      const audio = new Audio();
      audio.srcObject = stream;
      audio.play().catch((e) => result.errors.push('play: ' + e));
      const analyser = ctx.createAnalyser();
      analyser.fftSize = 1024;
      ctx.createMediaStreamSource(stream).connect(analyser);
      const buffer = new Float32Array(analyser.fftSize);
      setInterval(() => {
        analyser.getFloatTimeDomainData(buffer);
        let sum = 0;
        for (const v of buffer) sum += v * v;
        const rms = Math.sqrt(sum / buffer.length) * 32768;
        if (rms > result.maxRms) result.maxRms = rms;
        if (rms > 300) result.loudAudioFrames++;
      }, 20);
    };
    const channel = pc.createDataChannel('oai-events');
    channel.onopen = () => {
      result.dataChannelOpen = true;
      channel.send(JSON.stringify({ type: 'hello.from.chromium' }));
    };
    channel.onmessage = (event) => result.messagesReceived.push(String(event.data));
    pc.onconnectionstatechange = () => {
      if (pc.connectionState === 'connected' && !result.everConnected) {
        result.everConnected = true;
        result.connectedAt = Date.now();
        // Send DTMF "1#" once the sender can (RTCDTMFSender needs the transport up and telephone-event agreed).
        let tries = 0;
        const tryDtmf = () => {
          const dtmf = pc.getSenders()[0].dtmf;
          if (dtmf && dtmf.canInsertDTMF) dtmf.insertDTMF('1#', 100, 70);
          else if (++tries < 40) setTimeout(tryDtmf, 100);
          else result.errors.push('cannot insert DTMF');
        };
        setTimeout(tryDtmf, 300);
      }
    };
    await pc.setLocalDescription(await pc.createOffer());
    return pc.localDescription.sdp;
  });
  process.stdout.write(JSON.stringify({ type: 'offer', sdp: offer }) + '\n');

  const rl = readline.createInterface({ input: process.stdin });
  rl.on('line', async (line) => {
    try {
      const message = JSON.parse(line);
      if (message.type === 'answer') {
        await page.evaluate(async (sdp) => window.pc.setRemoteDescription({ type: 'answer', sdp }), message.sdp);
      }
      if (message.type === 'close') await finish();
    } catch (e) {
      await finish({ errors: [String(e)] });
    }
  });

  setTimeout(() => finish(), TIMEOUT_MS);
  const poll = setInterval(async () => {
    if (finished) return clearInterval(poll);
    try {
      const r = await page.evaluate(() => window.result);
      if (r.everConnected && Date.now() - r.connectedAt >= MIN_CONNECTED_MS && r.messagesReceived.length > 0 && r.loudAudioFrames >= MIN_AUDIO_FRAMES) {
        clearInterval(poll);
        await finish();
      }
    } catch (e) { /* page busy; try again */ }
  }, 100);
}

main().catch((e) => {
  process.stdout.write(JSON.stringify({ type: 'result', errors: [String(e)] }) + '\n');
  process.exit(1);
});
