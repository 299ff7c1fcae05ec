// The local console: live call events from /console/live, call commands, and the browser phone.
(() => {
  const $ = id => document.getElementById(id);
  const token = new URLSearchParams(location.hash.slice(1)).get('token') || localStorage.getItem('switchboard.token') || '';
  if (token) localStorage.setItem('switchboard.token', token);
  const calls = new Map(); // callSid -> {session, events, transcript, ended, hold}
  let selected = null, phone = null;
  const ui = window.switchboard = { calls, phone: () => phone, lastCommand: null };

  const link = $('link');
  const socket = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/console/live?token=' + encodeURIComponent(token));
  socket.onopen = () => { link.textContent = 'live'; link.className = 'pill ok'; };
  socket.onclose = e => { link.textContent = 'disconnected' + (e.reason ? ': ' + e.reason : ''); link.className = 'pill bad'; };
  socket.onmessage = e => receive(JSON.parse(e.data));

  function receive(m) {
    if (m.type === 'console_ready') {
      const select = $('agent');
      select.innerHTML = '';
      for (const a of m.agents || []) { const o = document.createElement('option'); o.value = o.textContent = a; select.appendChild(o); }
      return;
    }
    if (m.type === 'command_result') { ui.lastCommand = m; $('command-result').textContent = (m.ok ? '✓ ' : '✗ ') + (m.message || m.error || ''); return; }
    if (m.type === 'twilio_call_update') { // Twilio was asked to end or move the browser's call: its stream ends
      if (!phone || phone.callSid !== m.callSid) return;
      if (m.dial) phone.transferring();
      else if (m.status === 'completed' && phone.moving) { phone.moving = false; phone.ended(m.reason || 'the call ended'); }
      else if (m.status === 'completed') phone.hangUp('hung up by the agent side');
      return;
    }
    if (m.type === 'twilio_dial') { // the transfer's other leg: ringing, answered, then how it ended
      if (phone && phone.callSid === m.callSid) $('phone-status').textContent = `Transfer to ${m.to}: ${m.status}`
        + (m.status === 'answered' ? ' (a simulated person is on the line; the agent has left)' : '');
      ui.dial = m;
      return;
    }
    if (m.type === 'twilio_stream') { // the transfer was not taken: back to the agent on a new stream
      if (phone && phone.callSid === m.callSid) phone.open(m);
      return;
    }
    const sid = m.session && m.session.id;
    if (!sid) return;
    let call = calls.get(sid);
    if (!call) { call = { session: m.session, events: [], transcript: [], ended: false, hold: '' }; calls.set(sid, call); if (!selected) selected = sid; }
    call.events.push(m);
    if (m.type === 'transcript') call.transcript.push(m);
    if (m.type === 'session_end') { call.ended = true; call.outcome = m.outcome + (m.reason ? ' (' + m.reason + ')' : ''); }
    if (m.type === 'session_start' || m.type === 'session_resumed') call.ended = false; // back from a transfer, or on another relay
    if (m.type.startsWith('hold_')) call.hold = m.type.replace('hold_', '').replace('_', ' ');
    render();
  }

  function render() {
    const list = $('calls');
    list.innerHTML = '';
    if (!calls.size) list.innerHTML = '<li class="empty">No calls yet. Call the agent from the phone on the right.</li>';
    for (const [sid, c] of [...calls].reverse()) {
      const li = document.createElement('li');
      li.className = (sid === selected ? 'selected ' : '') + (c.ended ? 'ended' : '');
      li.textContent = `${c.session.agent} · ${c.session.direction} · ${c.session.from_phone_number} ${c.ended ? '· ended' : '· live'}`;
      li.onclick = () => { selected = sid; render(); };
      list.appendChild(li);
    }
    const c = calls.get(selected);
    $('commands').hidden = !c || c.ended;
    if (!c) return;
    $('call-title').textContent = `${selected}`;
    $('call-facts').textContent = `agent ${c.session.agent}, ${c.session.direction}, from ${c.session.from_phone_number} to ${c.session.to_phone_number}`
      + (c.hold ? `, hold: ${c.hold}` : '') + (c.ended ? `, ended: ${c.outcome}` : '');
    $('transcript').innerHTML = '';
    for (const t of c.transcript) {
      const li = document.createElement('li'); li.className = t.role;
      const who = document.createElement('b'); who.textContent = t.role + ': ';
      li.appendChild(who); li.appendChild(document.createTextNode(t.text));
      $('transcript').appendChild(li);
    }
    $('events').innerHTML = '';
    for (const ev of c.events.slice(-200)) {
      const li = document.createElement('li');
      const { session, v, ...rest } = ev;
      li.textContent = ev.at.slice(11, 23) + ' ' + JSON.stringify(rest);
      $('events').appendChild(li);
    }
  }

  function command(action, extra) { socket.send(JSON.stringify({ action, callSid: selected, ...extra })); }
  $('say').onclick = () => command('say', { text: $('say-text').value });
  $('note').onclick = () => command('note', { text: $('note-text').value });
  $('transfer').onclick = () => command('transfer', { target: $('transfer-target').value });
  $('hangup').onclick = () => command('hangup', { reason: 'hung up from the console' });

  for (const key of ['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#']) {
    const b = document.createElement('button'); b.textContent = key; b.onclick = () => phone && phone.dtmf(key); $('keypad').appendChild(b);
  }
  const status = (state, detail) => {
    if (state !== 'transferring') $('phone-status').textContent = state === 'ended' ? `Call ended${detail && detail.reason ? ': ' + detail.reason : ''}.` : `${state}: ${detail.callSid || ''}`;
    $('call').disabled = state !== 'ended';
    $('phone-hangup').disabled = state === 'ended';
    if (detail && detail.callSid) selected = detail.callSid;
  };
  $('call').onclick = async () => {
    $('call').disabled = true;
    phone = new BrowserPhone(token, status);
    try { await phone.call($('agent').value); } catch (e) { $('phone-status').textContent = 'Could not call: ' + e.message; $('call').disabled = false; }
  };
  $('phone-hangup').onclick = () => phone && phone.hangUp('caller hung up');
  setInterval(() => { if (phone) $('heard').textContent = (phone.heardSamples / 8000).toFixed(1); }, 250);
})();
