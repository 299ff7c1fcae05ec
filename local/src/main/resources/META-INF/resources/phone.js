// The browser phone: plays Twilio's part of a call. POST /console/phone makes the call as Twilio
// would (signed voice webhook, one-time token); the page then opens the media stream itself and speaks
// its protocol: connected, start, 20 ms mu-law media frames, dtmf, marks echoed when played, clear, stop.
// A transfer ends the stream but not the call: the microphone stays open while the transfer rings, and
// if the caller comes back to the agent the page opens the new stream Twilio was given (open()).
class BrowserPhone {
  constructor(token, onState) {
    this.token = token; this.onState = onState; this.ws = null; this.heardSamples = 0; this.sent = 0;
  }
  async call(agent) {
    // the microphone and audio first: a call is only made once the page can carry it
    this.mic = await navigator.mediaDevices.getUserMedia({ audio: { echoCancellation: true, noiseSuppression: false } });
    this.audio = new AudioContext();
    await this.audio.audioWorklet.addModule('phone-worklet.js');
    const answer = await fetch('/console/phone', { method: 'POST', headers: { 'Authorization': 'Bearer ' + this.token,
      'Content-Type': 'application/json' }, body: JSON.stringify({ agent }) });
    const call = await answer.json();
    if (!answer.ok) { this.release(); throw new Error(call.error || ('HTTP ' + answer.status)); }
    this.callSid = call.callSid;
    this.capture = new AudioWorkletNode(this.audio, 'capture');
    this.player = new AudioWorkletNode(this.audio, 'player');
    this.audio.createMediaStreamSource(this.mic).connect(this.capture);
    this.player.connect(this.audio.destination);
    this.player.port.onmessage = e => this.fromPlayer(e.data);
    this.capture.port.onmessage = e => this.sendFrame(e.data);
    await this.audio.resume();
    this.open(call);
    this.onState('ringing', call);
    return call;
  }
  open(stream) { // a media stream of the call: the first, or a new one after a transfer that was not taken
    this.moving = false;
    this.streamSid = 'MZ' + Array.from(crypto.getRandomValues(new Uint8Array(16)), b => b.toString(16).padStart(2, '0')).join('');
    this.ws = new WebSocket(stream.streamUrl);
    this.ws.onopen = () => this.start({ callSid: this.callSid, parameters: stream.parameters });
    this.ws.onmessage = e => this.fromRelay(JSON.parse(e.data));
    this.ws.onclose = e => this.closed(e);
  }
  transferring() { // Twilio moved the call to a <Dial>: the stream stops, the call goes on
    this.moving = true;
    this.player.port.postMessage({ clear: true });
    if (this.ws) { this.stopStream(); this.ws.close(1000, 'transferred'); }
    this.onState('transferring', { callSid: this.callSid });
  }
  send(message) { if (this.ws && this.ws.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(message)); }
  start(call) {
    this.send({ event: 'connected', protocol: 'Call', version: '1.0.0' });
    this.send({ event: 'start', sequenceNumber: '1', streamSid: this.streamSid, start: { streamSid: this.streamSid,
      accountSid: 'AC' + '0'.repeat(32), callSid: call.callSid, tracks: ['inbound'], customParameters: call.parameters,
      mediaFormat: { encoding: 'audio/x-mulaw', sampleRate: 8000, channels: 1 } } });
    this.seq = 2; this.chunk = 0; this.started = performance.now();
    this.onState('in call', call);
  }
  sendFrame(samples) {
    if (!this.ws || this.ws.readyState !== WebSocket.OPEN || this.seq === undefined) return;
    const bytes = new Uint8Array(samples.length);
    for (let i = 0; i < samples.length; i++) bytes[i] = MuLaw.encode(Math.max(-32768, Math.min(32767, Math.round(samples[i] * 32767))));
    this.chunk++;
    this.send({ event: 'media', sequenceNumber: String(this.seq++), streamSid: this.streamSid, media: { track: 'inbound',
      chunk: String(this.chunk), timestamp: String(Math.round(performance.now() - this.started)), payload: MuLaw.toBase64(bytes) } });
    this.sent++;
  }
  fromRelay(m) {
    if (m.event === 'media') {
      const bytes = MuLaw.fromBase64(m.media.payload);
      const samples = new Float32Array(bytes.length);
      for (let i = 0; i < bytes.length; i++) samples[i] = MuLaw.decode(bytes[i]) / 32768;
      this.player.port.postMessage({ samples });
    } else if (m.event === 'mark') {
      this.player.port.postMessage({ mark: m.mark.name });
    } else if (m.event === 'clear') {
      this.player.port.postMessage({ clear: true });
    }
  }
  fromPlayer(m) {
    if (m.markPlayed) this.send({ event: 'mark', sequenceNumber: String(this.seq++), streamSid: this.streamSid, mark: { name: m.markPlayed } });
    if (m.heardSamples) this.heardSamples += m.heardSamples;
  }
  dtmf(digit) {
    this.send({ event: 'dtmf', sequenceNumber: String(this.seq++), streamSid: this.streamSid, dtmf: { track: 'inbound_track', digit } });
  }
  stopStream() {
    this.send({ event: 'stop', sequenceNumber: String(this.seq++), streamSid: this.streamSid,
      stop: { accountSid: 'AC' + '0'.repeat(32), callSid: this.callSid } });
  }
  hangUp(why) {
    if (this.moving) { // no stream while a transfer rings or talks: Twilio is asked to end the call
      this.moving = false;
      fetch('/console/phone/hangup', { method: 'POST', headers: { 'Authorization': 'Bearer ' + this.token,
        'Content-Type': 'application/json' }, body: JSON.stringify({ callSid: this.callSid }) });
      this.ended(why || 'hung up');
      return;
    }
    if (!this.ws) return;
    this.stopStream();
    this.ws.close(1000, why || 'hung up');
  }
  ended(reason) {
    this.release();
    this.onState('ended', { reason });
  }
  release() {
    if (this.mic) this.mic.getTracks().forEach(t => t.stop());
    if (this.audio) this.audio.close();
  }
  closed(e) {
    this.ws = null;
    if (this.moving) return;
    this.release();
    this.onState('ended', { code: e.code, reason: e.reason });
  }
}
