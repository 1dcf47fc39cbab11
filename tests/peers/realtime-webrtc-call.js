// What every Realtime WebRTC test peer does around its own scenario: start the call the way OpenAI's WebRTC quick
// start does, and end the run by printing its result as one JSON line, once, then closing and exiting.
'use strict';

/** POSTs the SDP offer to /v1/realtime/calls and applies the answer; returns the call id from the Location header. */
async function startCall(pc, baseUrl, apiKey) {
  const offer = await pc.createOffer();
  await pc.setLocalDescription(offer);
  const response = await fetch(baseUrl + '/v1/realtime/calls', {
    method: 'POST',
    body: pc.localDescription.sdp,
    headers: { Authorization: 'Bearer ' + apiKey, 'Content-Type': 'application/sdp' },
  });
  if (response.status !== 201) throw new Error('calls answered ' + response.status + ': ' + await response.text());
  const callId = (response.headers.get('location') || '').split('/').pop();
  await pc.setRemoteDescription({ type: 'answer', sdp: await response.text() });
  return callId;
}

/**
 * Returns finish(): the first call stops the peer's timers (stop), prints result, and 200 ms later closes the
 * connection (close) and exits. It is also called after timeoutMs, so a run that never completes still reports.
 */
function reportOnce(result, { stop, close, timeoutMs }) {
  let finished = false;
  function finish() {
    if (finished) return;
    finished = true;
    stop();
    process.stdout.write(JSON.stringify(result) + '\n');
    setTimeout(() => {
      try { close(); } catch (e) { /* closing anyway */ }
      process.exit(0);
    }, 200);
  }
  setTimeout(finish, timeoutMs);
  return finish;
}

module.exports = { startCall, reportOnce };
