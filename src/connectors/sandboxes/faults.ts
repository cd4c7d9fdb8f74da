import { STATUS_CODES, type ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { matchPath } from './route-pattern.js';

/**
 * Ways a vendor misbehaves, configured as data so a test reads as its scenario. The server
 * consults its `FaultPlan` before a request reaches auth or the route, as a vendor's gateway
 * answers 429s and 5xx before its application looks at the key.
 */
interface FaultScope {
  /** How many requests the fault hits before it is spent. */
  times: number;
  /** Only requests whose path matches this route pattern (`/v1/items/:id`); every path when left out. */
  path?: string;
  /** Lets this many matching requests through first, counted from when the fault joined the plan. */
  afterRequests?: number;
}

export type Fault = FaultScope &
  (
    | {
        kind: 'status';
        status: 429 | 500 | 502 | 503 | 504;
        retryAfterSeconds?: number;
        /** Sent as an HTTP date, the other form of Retry-After. */
        retryAfterDate?: Date | string;
      }
    /** Destroys the socket without an answer: the client sees a network error. */
    | { kind: 'reset' }
    /** Holds the response headers back, then answers normally. */
    | { kind: 'slow'; delayMs: number }
    /** Sends 200 headers and the start of a body, then nothing: only a read timeout ends it. */
    | { kind: 'stall_body' }
    /** A 200 that claims JSON but whose body does not parse. */
    | { kind: 'malformed' }
    /** The route hands back the cursor this page was asked with; see `RouteContext.repeatCursor`. */
    | { kind: 'repeat_cursor' }
  );

export type FaultKind = Fault['kind'];

interface Armed {
  fault: Fault;
  seen: number;
  fired: number;
}

/** The faults a server still has to apply; `add` works while requests are in flight. */
export class FaultPlan {
  private readonly armed: Armed[] = [];

  constructor(faults: readonly Fault[] = []) {
    for (const fault of faults) this.add(fault);
  }

  add(fault: Fault): void {
    if (!Number.isInteger(fault.times) || fault.times < 1) throw new RangeError(`A ${fault.kind} fault needs "times" of 1 or more.`);
    this.armed.push({ fault, seen: 0, fired: 0 });
  }

  /**
   * Counts the request against every live fault on its path and returns the first one due,
   * spending one of its `times`. Each fault counts on its own, so two faults in a plan never
   * shift each other's `afterRequests`.
   */
  next(path: string): Fault | undefined {
    let due: Fault | undefined;
    for (const entry of this.armed) {
      const { fault } = entry;
      if (entry.fired >= fault.times) continue;
      if (fault.path !== undefined && matchPath(fault.path, path) === undefined) continue;
      entry.seen += 1;
      if (due === undefined && entry.seen > (fault.afterRequests ?? 0)) {
        entry.fired += 1;
        due = fault;
      }
    }
    return due;
  }
}

export interface FaultContext {
  /** Aborted when the server closes, so a slow fault does not hold the test run open. */
  signal: AbortSignal;
  errorBody: (status: number, message: string) => unknown;
}

/** Acts out a fault on the response: `answered` when the request is done with, `pass` when the route should still run. */
export async function applyFault(fault: Fault, res: ServerResponse, { signal, errorBody }: FaultContext): Promise<'answered' | 'pass'> {
  switch (fault.kind) {
    case 'status': {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (fault.retryAfterSeconds !== undefined) headers['retry-after'] = String(fault.retryAfterSeconds);
      if (fault.retryAfterDate !== undefined) headers['retry-after'] = new Date(fault.retryAfterDate).toUTCString();
      res.writeHead(fault.status, headers).end(JSON.stringify(errorBody(fault.status, STATUS_CODES[fault.status] ?? 'Error')));
      return 'answered';
    }
    case 'reset':
      res.socket?.destroy();
      return 'answered';
    case 'slow':
      await sleep(fault.delayMs, undefined, { signal });
      return 'pass';
    case 'stall_body':
      // Chunked, with no Content-Length, so the client cannot tell the body is short; the socket stays open until close().
      res.writeHead(200, { 'content-type': 'application/json' }).write('{"data":[');
      return 'answered';
    case 'malformed':
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"data":[{"id":"1",');
      return 'answered';
    case 'repeat_cursor':
      return 'pass';
  }
}
