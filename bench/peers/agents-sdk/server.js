// The second peer of bench/side-by-side: the OpenAI Agents SDK's Twilio transport
// (TwilioRealtimeTransportLayer from @openai/agents-extensions) in the smallest server that runs it,
// as its docs show, plus what the docs' minimal example leaves out: audio/pcmu both ways, so the model
// hears and speaks the phone's own format, and the endpoint from OPENAI_REALTIME_URL. Its `ws` client
// offers no per-message deflate, as for the other peer (see server.js of node-sample).
import Fastify from 'fastify';
import fastifyWs from '@fastify/websocket';
import WebSocket from 'ws';
import { RealtimeAgent, RealtimeSession } from '@openai/agents/realtime';
import { TwilioRealtimeTransportLayer } from '@openai/agents-extensions';

const PORT = Number(process.env.PORT || 5050);
const OPENAI_API_KEY = process.env.OPENAI_API_KEY || '';
const REALTIME_URL = process.env.OPENAI_REALTIME_URL || 'wss://api.openai.com/v1/realtime?model=gpt-realtime';

const agent = new RealtimeAgent({ name: 'Bench agent', instructions: 'You are a helpful phone agent.' });
const fastify = Fastify();
fastify.register(fastifyWs);

fastify.all('/incoming-call', async (request, reply) => {
  reply.type('text/xml').send(`<?xml version="1.0" encoding="UTF-8"?><Response><Connect><Stream url="wss://${request.headers.host}/media-stream" /></Connect></Response>`);
});

fastify.register(async (app) => {
  app.get('/media-stream', { websocket: true }, async (connection) => {
    const transport = new TwilioRealtimeTransportLayer({
      twilioWebSocket: connection,
      createWebSocket: async ({ url, apiKey }) =>
        new WebSocket(url, { headers: { Authorization: `Bearer ${apiKey}` }, perMessageDeflate: false }),
    });
    const session = new RealtimeSession(agent, {
      transport,
      model: 'gpt-realtime',
      config: {
        audio: {
          input: { format: { type: 'audio/pcmu' } },
          output: { format: { type: 'audio/pcmu' }, voice: 'alloy' },
        },
      },
    });
    session.on('error', () => {});
    try {
      await session.connect({ apiKey: OPENAI_API_KEY, url: REALTIME_URL });
    } catch (e) {
      connection.close();
    }
  });
});

fastify.listen({ port: PORT, host: '127.0.0.1' }).then(() => console.log(`agents-sdk peer listening on ${PORT}`));
