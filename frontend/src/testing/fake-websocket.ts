import type { WebSocketLike } from '../net/socket';
import type { ClientMessage, ServerMessage } from '../protocol';

/** A WebSocket driven by hand from tests: they play the server's side. */
export class FakeWebSocket implements WebSocketLike {
  sent: ClientMessage[] = [];
  closedWith: number | null = null;
  onopen: ((event: Event) => void) | null = null;
  onmessage: ((event: MessageEvent) => void) | null = null;
  onclose: ((event: CloseEvent) => void) | null = null;
  onerror: ((event: Event) => void) | null = null;

  constructor(readonly url: string) {}

  send(data: string): void {
    this.sent.push(JSON.parse(data) as ClientMessage);
  }

  close(code = 1000): void {
    this.closedWith = code;
  }

  open(): void {
    this.onopen?.({} as Event);
  }

  receive(message: ServerMessage | string): void {
    const data = typeof message === 'string' ? message : JSON.stringify(message);
    this.onmessage?.({ data } as MessageEvent);
  }

  drop(code = 1006): void {
    this.onclose?.({ code, reason: '' } as CloseEvent);
  }

  sentOfType<T extends ClientMessage['type']>(type: T): Array<Extract<ClientMessage, { type: T }>> {
    return this.sent.filter((m): m is Extract<ClientMessage, { type: T }> => m.type === type);
  }
}

/** A factory that remembers every socket it made. */
export function fakeWebSocketFactory(): { create: (url: string) => FakeWebSocket; sockets: FakeWebSocket[] } {
  const sockets: FakeWebSocket[] = [];
  return {
    sockets,
    create: (url: string) => {
      const ws = new FakeWebSocket(url);
      sockets.push(ws);
      return ws;
    },
  };
}
