// Audio for the browser phone, off the page's main thread. 'capture' turns the microphone (at the
// context's rate) into 8 kHz samples; 'player' plays 8 kHz samples from the relay at the context's rate,
// and reports each mark once the audio queued before it has been played (as Twilio does).
class Capture extends AudioWorkletProcessor {
  constructor() { super(); this.step = sampleRate / 8000; this.pos = 0; this.acc = 0; this.n = 0; this.out = []; }
  process(inputs) {
    const input = inputs[0][0];
    if (!input) return true;
    for (let i = 0; i < input.length; i++) { // average each 1/8000 s: a crude low-pass before decimation
      this.acc += input[i]; this.n++; this.pos += 1;
      if (this.pos >= this.step) { this.out.push(this.acc / this.n); this.acc = 0; this.n = 0; this.pos -= this.step; }
    }
    if (this.out.length >= 160) { this.port.postMessage(Float32Array.from(this.out.splice(0, 160))); }
    return true;
  }
}
class Player extends AudioWorkletProcessor {
  constructor() {
    super(); this.step = 8000 / sampleRate; this.queue = []; this.at = 0; this.played = 0; this.queued = 0; this.marks = [];
    this.port.onmessage = e => {
      const m = e.data;
      if (m.samples) { this.queue.push(m.samples); this.queued += m.samples.length; }
      else if (m.mark) { this.marks.push({ name: m.mark, at: this.queued }); }
      else if (m.clear) { this.queue = []; this.at = 0; this.played = this.queued; this.flushMarks(); }
    };
  }
  flushMarks() { while (this.marks.length && this.marks[0].at <= this.played) this.port.postMessage({ markPlayed: this.marks.shift().name }); }
  process(inputs, outputs) {
    const out = outputs[0][0];
    let heard = 0;
    for (let i = 0; i < out.length; i++) {
      if (!this.queue.length) { out[i] = 0; continue; }
      const chunk = this.queue[0];
      out[i] = chunk[Math.floor(this.at)];
      this.at += this.step; heard++;
      if (this.at >= chunk.length) { this.at -= chunk.length; this.played += chunk.length; this.queue.shift(); }
    }
    if (heard) this.port.postMessage({ heardSamples: heard * this.step });
    this.flushMarks();
    return true;
  }
}
registerProcessor('capture', Capture);
registerProcessor('player', Player);
