// 16-bit little-endian PCM <-> base64 <-> Float32, for the WebSocket transport (audio/pcm at 24 kHz).

export function int16ToBase64(samples) {
  const bytes = new Uint8Array(samples.buffer, samples.byteOffset, samples.byteLength);
  let binary = '';
  const chunk = 0x8000;
  for (let i = 0; i < bytes.length; i += chunk) {
    binary += String.fromCharCode.apply(null, bytes.subarray(i, i + chunk));
  }
  return btoa(binary);
}

export function base64ToFloat32(base64) {
  const binary = atob(base64);
  const count = binary.length >> 1;
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    let s = binary.charCodeAt(2 * i) | (binary.charCodeAt(2 * i + 1) << 8);
    if (s >= 0x8000) s -= 0x10000;
    out[i] = s / 32768;
  }
  return out;
}
