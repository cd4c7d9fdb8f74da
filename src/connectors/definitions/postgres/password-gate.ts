import net from 'node:net';

/**
 * A loopback front for the sandbox database that asks for a password, as a managed PostgreSQL
 * does. Neither engine behind it checks one: PGlite has no authentication and a test server
 * usually trusts loopback. The gate answers the startup with a cleartext-password request, refuses
 * a wrong password with SQLSTATE 28P01 like PostgreSQL, and otherwise forwards the startup to the
 * engine and pipes the rest of the conversation through, noting the SQL of every statement (the
 * database side of the HTTP sandboxes' request log). If the engine asks for a password itself,
 * the client answers with the same one. Protocol: https://www.postgresql.org/docs/current/protocol-flow.html
 */
export interface PasswordGate {
  port: number;
  /** The SQL of each simple query and each prepared statement, in the order clients sent them. */
  statements: string[];
  /** Clients connected now. */
  openConnections(): number;
  close(): Promise<void>;
}

const protocolVersion3 = 196_608;
const sslRequest = 80_877_103;
const gssEncryptionRequest = 80_877_104;
const askCleartextPassword = Buffer.from([0x52, 0, 0, 0, 8, 0, 0, 0, 3]);

export async function startPasswordGate(options: { upstream: { host: string; port: number }; password: string }): Promise<PasswordGate> {
  const sockets = new Set<net.Socket>();
  const clients = new Set<net.Socket>();
  const statements: string[] = [];
  const track = (socket: net.Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    return socket;
  };

  const server = net.createServer((client) => {
    track(client);
    clients.add(client);
    client.on('close', () => clients.delete(client));
    let stage: 'startup' | 'password' | 'open' = 'startup';
    let startup: Buffer | undefined;
    let upstream: net.Socket | undefined;
    let pending = Buffer.alloc(0);

    client.on('data', (chunk) => {
      pending = Buffer.concat([pending, chunk]);
      for (let message = nextMessage(); message; message = nextMessage()) {
        if (stage === 'startup') {
          const code = message.readInt32BE(4);
          if (code === sslRequest || code === gssEncryptionRequest) {
            client.write('N');
            continue;
          }
          // A cancel request, or a protocol the engines do not speak.
          if (code !== protocolVersion3) {
            client.destroy();
            return;
          }
          startup = message;
          stage = 'password';
          client.write(askCleartextPassword);
        } else if (stage === 'password') {
          if (message[0] !== 0x70 || cString(message, 5).text !== options.password) {
            client.end(fatal('28P01', 'password authentication failed'));
            return;
          }
          stage = 'open';
          upstream = track(net.connect(options.upstream.port, options.upstream.host));
          upstream.on('close', () => client.destroy());
          client.on('close', () => upstream?.destroy());
          upstream.pipe(client);
          upstream.write(startup!);
        } else {
          const sql = statementOf(message);
          if (sql !== undefined) statements.push(sql);
          upstream!.write(message);
        }
      }
    });

    // Startup messages carry their length first; every later one a type byte, then the length.
    function nextMessage(): Buffer | undefined {
      const headerLength = stage === 'startup' ? 0 : 1;
      if (pending.length < headerLength + 4) return undefined;
      const length = headerLength + pending.readInt32BE(headerLength);
      if (pending.length < length) return undefined;
      const message = pending.subarray(0, length);
      pending = pending.subarray(length);
      return message;
    }
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  return {
    port: (server.address() as net.AddressInfo).port,
    statements,
    openConnections: () => clients.size,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** The SQL of a Query ('Q': the text) or Parse ('P': a statement name, then the text) message. */
function statementOf(message: Buffer): string | undefined {
  if (message[0] === 0x51) return cString(message, 5).text;
  if (message[0] === 0x50) return cString(message, cString(message, 5).end + 1).text;
  return undefined;
}

function cString(buffer: Buffer, start: number): { text: string; end: number } {
  const end = buffer.indexOf(0, start);
  return { text: buffer.toString('utf8', start, end < 0 ? buffer.length : end), end: end < 0 ? buffer.length : end };
}

/** An ErrorResponse of severity FATAL, as the server sends before closing a refused connection. */
function fatal(sqlState: string, message: string): Buffer {
  const fields = Buffer.from(`SFATAL\0VFATAL\0C${sqlState}\0M${message}\0\0`, 'utf8');
  const header = Buffer.alloc(5);
  header.write('E', 0, 'latin1');
  header.writeInt32BE(4 + fields.length, 1);
  return Buffer.concat([header, fields]);
}
