// The peer of bench/side-by-side: a bridge between Twilio media streams and the OpenAI Realtime API
// built the way Twilio's Node sample (twilio-samples/speech-assistant-openai-realtime-api-node, MIT) is
// built: Fastify with @fastify/websocket, one `ws` socket to OpenAI per call, every message parsed as
// JSON, caller audio forwarded as input_audio_buffer.append, agent audio as media plus one mark per
// delta, and on speech_started a truncate at the elapsed time and a clear. Written for this benchmark
// (GA event names, the endpoint from OPENAI_REALTIME_URL), not a copy of the sample's file.
import Fastify from 'fastify';
import fastifyWs from '@fastify/websocket';
import WebSocket from 'ws';

const PORT = Number(process.env.PORT || 5050);
const OPENAI_API_KEY = process.env.OPENAI_API_KEY || '';
const REALTIME_URL = process.env.OPENAI_REALTIME_URL || 'wss://api.openai.com/v1/realtime?model=gpt-realtime';

const fastify = Fastify();
fastify.register(fastifyWs);

fastify.all('/incoming-call', async (request, reply) => {
  const host = request.headers.host;
  reply.type('text/xml').send(`<?xml version="1.0" encoding="UTF-8"?><Response><Connect><Stream url="wss://${host}/media-stream" /></Connect></Response>`);
});

fastify.register(async (app) => {
  app.get('/media-stream', { websocket: true }, (connection) => {
    let streamSid = null;
    let latestMediaTimestamp = 0;
    let lastAssistantItem = null;
    let markQueue = [];
    let responseStartTimestamp = null;

    // perMessageDeflate off: ws offers it by default, and when the server accepts (the simulator does), ws
    // inflates every delta through a zlib queue that falls seconds behind at 50 calls; Switchboard's relay
    // does not ask for compression either, so both bridges are measured without it.
    const openAi = new WebSocket(REALTIME_URL, { headers: { Authorization: `Bearer ${OPENAI_API_KEY}` }, perMessageDeflate: false });

    openAi.on('open', () => {
      openAi.send(JSON.stringify({
        type: 'session.update',
        session: {
          type: 'realtime',
          model: 'gpt-realtime',
          output_modalities: ['audio'],
          audio: {
            input: { format: { type: 'audio/pcmu' }, turn_detection: { type: 'server_vad' } },
            output: { format: { type: 'audio/pcmu' }, voice: 'alloy' },
          },
          instructions: 'You are a helpful phone agent.',
        },
      }));
    });

    openAi.on('message', (data) => {
      const response = JSON.parse(data);
      if (response.type === 'response.output_audio.delta' && response.delta) {
        connection.send(JSON.stringify({ event: 'media', streamSid, media: { payload: response.delta } }));
        if (!responseStartTimestamp) responseStartTimestamp = latestMediaTimestamp;
        if (response.item_id) lastAssistantItem = response.item_id;
        if (streamSid) {
          connection.send(JSON.stringify({ event: 'mark', streamSid, mark: { name: 'responsePart' } }));
          markQueue.push('responsePart');
        }
      }
      if (response.type === 'input_audio_buffer.speech_started' && markQueue.length > 0 && responseStartTimestamp != null) {
        const elapsed = latestMediaTimestamp - responseStartTimestamp;
        if (lastAssistantItem) {
          openAi.send(JSON.stringify({ type: 'conversation.item.truncate', item_id: lastAssistantItem, content_index: 0, audio_end_ms: elapsed }));
        }
        connection.send(JSON.stringify({ event: 'clear', streamSid }));
        markQueue = [];
        lastAssistantItem = null;
        responseStartTimestamp = null;
      }
    });

    connection.on('message', (message) => {
      const data = JSON.parse(message);
      switch (data.event) {
        case 'media':
          latestMediaTimestamp = Number(data.media.timestamp);
          if (openAi.readyState === WebSocket.OPEN) {
            openAi.send(JSON.stringify({ type: 'input_audio_buffer.append', audio: data.media.payload }));
          }
          break;
        case 'start':
          streamSid = data.start.streamSid;
          responseStartTimestamp = null;
          latestMediaTimestamp = 0;
          break;
        case 'mark':
          if (markQueue.length > 0) markQueue.shift();
          break;
        default:
          break;
      }
    });

    connection.on('close', () => {
      if (openAi.readyState === WebSocket.OPEN) openAi.close();
    });
    openAi.on('error', () => connection.close());
  });
});

fastify.listen({ port: PORT, host: '127.0.0.1' }).then(() => console.log(`node-sample peer listening on ${PORT}`));
