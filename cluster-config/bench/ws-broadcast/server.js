// Minimal broadcast server on Node's `ws`, for the fan-out benchmark only (bench/broadcast.sh).
// It speaks the subset of the Watchroom room protocol the benchmark uses: `join` is answered with
// `welcome`, and every `seek` is sent to every joined client as `playback`. No persistence, no
// presence, one room: the floor that a WebSocket fan-out on this machine can reach.
import { WebSocketServer } from 'ws';

const port = Number(process.argv[2] ?? 0);
const clients = new Set();
const server = new WebSocketServer({ port, host: '127.0.0.1' });

server.on('connection', (socket) => {
  socket.on('message', (data) => {
    let message;
    try {
      message = JSON.parse(data.toString());
    } catch {
      return;
    }
    if (message.type === 'join') {
      clients.add(socket);
      socket.send(JSON.stringify({ type: 'welcome' }));
    } else if (message.type === 'seek') {
      const frame = JSON.stringify({ type: 'playback', playing: false, position: message.position, anchor: Date.now(), rate: 1, by: 'm' });
      for (const client of clients) client.send(frame);
    }
  });
  socket.on('close', () => clients.delete(socket));
});

server.on('listening', () => console.log(`listening ${server.address().port}`));
