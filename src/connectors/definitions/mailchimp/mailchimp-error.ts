import { SandboxError, SeededRandom, type SandboxReply } from '../../sandboxes/index.js';

/**
 * One of the Marketing API's errors, answered as RFC 7807 problem details:
 * `{ type, title, status, detail, instance }` (https://mailchimp.com/developer/marketing/docs/errors/).
 * The title names the kind of error ("API Key Invalid"), the detail says what to do.
 */
export class MailchimpError extends SandboxError {
  constructor(
    status: number,
    readonly title: string,
    detail: string,
  ) {
    super(status, detail);
  }

  reply(): SandboxReply {
    return { status: this.status, body: problem(this.status, this.title, this.message) };
  }
}

export const apiKeyMissing = () => new MailchimpError(401, 'API Key Missing', 'Your request did not include an API key.');
// What Mailchimp answers a key or token of another data center as much as a wrong one.
export const apiKeyInvalid = () => new MailchimpError(401, 'API Key Invalid', "Your API key may be invalid, or you've attempted to access the wrong datacenter.");
export const invalidResource = (detail: string) => new MailchimpError(400, 'Invalid Resource', detail);

/** Titles of the errors the kit answers itself (faults, unknown paths), by status. */
const titles: Record<number, string> = {
  400: 'Bad Request',
  401: 'API Key Invalid',
  403: 'Forbidden',
  404: 'Resource Not Found',
  405: 'Method Not Allowed',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
};

/** The body for what the kit answers itself: a 429 fault says what Mailchimp's limit is. */
export function mailchimpErrorBody(status: number, message: string): unknown {
  const detail = status === 429 ? 'You have exceeded the limit of 10 simultaneous connections.' : status === 404 ? 'The requested resource could not be found.' : message;
  return problem(status, titles[status] ?? (status >= 500 ? 'Service Unavailable' : 'Bad Request'), detail);
}

function problem(status: number, title: string, detail: string) {
  return { type: 'https://mailchimp.com/developer/marketing/docs/errors/', title, status, detail, instance: instanceOf(`${status}/${detail}`) };
}

// A UUID like Mailchimp's `instance`, the same for the same error so that answers stay comparable.
function instanceOf(seed: string): string {
  const random = new SeededRandom(`mailchimp/instance/${seed}`);
  const hex = (digits: number) => Array.from({ length: digits }, () => random.int(0, 15).toString(16)).join('');
  return `${hex(8)}-${hex(4)}-4${hex(3)}-${random.pick(['8', '9', 'a', 'b'])}${hex(3)}-${hex(12)}`;
}
