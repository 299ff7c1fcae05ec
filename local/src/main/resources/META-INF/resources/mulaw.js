// G.711 mu-law, as Twilio's media streams carry it: 8 kHz, one byte a sample.
const MuLaw = (() => {
  const BIAS = 0x84, CLIP = 32635;
  const decodeTable = new Int16Array(256);
  for (let i = 0; i < 256; i++) {
    const u = ~i & 0xff, sign = u & 0x80, exponent = (u >> 4) & 0x07, mantissa = u & 0x0f;
    const magnitude = (((mantissa << 3) + BIAS) << exponent) - BIAS;
    decodeTable[i] = sign ? -magnitude : magnitude;
  }
  function encode(sample) { // sample: 16-bit signed
    let sign = sample < 0 ? 0x80 : 0;
    let s = Math.min(CLIP, Math.abs(sample)) + BIAS;
    let exponent = 7;
    for (let mask = 0x4000; (s & mask) === 0 && exponent > 0; mask >>= 1) exponent--;
    const mantissa = (s >> (exponent + 3)) & 0x0f;
    return ~(sign | (exponent << 4) | mantissa) & 0xff;
  }
  function toBase64(bytes) { let s = ''; for (const b of bytes) s += String.fromCharCode(b); return btoa(s); }
  function fromBase64(text) { const s = atob(text); const out = new Uint8Array(s.length); for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i); return out; }
  return { encode, decode: b => decodeTable[b], toBase64, fromBase64 };
})();
