import { httpSandbox, pagedCollection, SandboxError, seededRecords, type LazyRecords, type SandboxSpec, type SeededRandom } from '../../sandboxes/index.js';

/**
 * A Chatwoot sandbox in the shapes of Chatwoot's OpenAPI description (`test/specs/chatwoot/swagger.json`,
 * checked by `chatwoot.contract.test.ts`):
 * - `GET /api/v1/accounts/{account_id}/conversations?status&page` answers `conversation_list`,
 *   `{ data: { meta, payload } }`, 25 a page, open conversations unless `status` says otherwise;
 * - `GET …/conversations/{conversation_id}/messages` answers `{ meta, payload }`, every message at once;
 * - `POST …/conversations/{conversation_id}/messages` answers the created message (`generic_id` + `message`);
 * - every request needs the `api_access_token` header; errors answer `bad_request_error`.
 * Conversation ids are 1…n, as Chatwoot numbers conversations per account; message ids are unique.
 */
export const chatwootSandboxToken = 'cw-sandbox-user-token-0000000000';
export const chatwootSandboxAccountId = 7;

export interface ChatwootSandboxSize {
  conversations?: number;
  messagesPerConversation?: number;
}

// Chatwoot's fixed page size for the conversation list; the spec documents no parameter to change it.
const pageSize = 25;
const statuses = ['open', 'resolved', 'pending'] as const;
const inboxes = [
  { id: 1, channel: 'Channel::WebWidget' },
  { id: 2, channel: 'Channel::Email' },
  { id: 3, channel: 'Channel::Api' },
] as const;
const labelNames = ['billing', 'bug', 'onboarding', 'vip'];
const lines = [
  'Hi, I cannot sign in since this morning.',
  'Thanks for reaching out! Could you tell me which browser you use?',
  'Firefox, on a work laptop.',
  'Clearing the site data should fix it; let me know if it does not.',
  'That worked, thank you!',
  'Glad to hear it. Anything else I can help with?',
];
// The agent who owns the sandbox token; every conversation is assigned to them.
const agent = { id: 11, name: 'Sandbox Agent', email: 'agent@example.com' };
const newest = Date.parse('2025-02-01T00:00:00Z') / 1_000;

export function chatwootSandbox(size: ChatwootSandboxSize = {}): SandboxSpec {
  const messagesPerConversation = size.messagesPerConversation ?? 5;
  const conversations = seededRecords('chatwoot/conversations', size.conversations ?? 60, (random, i) => seedConversation(random, i, messagesPerConversation));
  // Replies and notes the actions wrote, by conversation id, read back after the seeded messages.
  const written = new Map<number, Message[]>();
  let nextWrittenId = conversations.count * messagesPerConversation + 1;

  const conversationAt = (conversationId: string): SeededConversation => {
    const id = Number(conversationId);
    if (!Number.isInteger(id) || id < 1 || id > conversations.count) throw new SandboxError(404, 'Resource could not be found');
    return conversations.recordAt(id - 1);
  };
  const messagesOf = (conversation: SeededConversation): Message[] => [
    ...Array.from({ length: messagesPerConversation }, (_, j) => seedMessage(conversation, j, messagesPerConversation)),
    ...(written.get(conversation.id) ?? []),
  ];
  const checkAccount = (accountId: string | undefined) => {
    if (accountId !== String(chatwootSandboxAccountId)) throw new SandboxError(404, 'Resource could not be found');
  };

  return {
    auth: (headers) => headers.api_access_token === chatwootSandboxToken,
    errorBody: (status, message) => ({
      description: status === 401 ? 'Invalid Access Token' : message,
      errors: [{ message: status === 401 ? 'Invalid Access Token' : message, code: errorCodes[status] ?? 'error' }],
    }),
    routes: [
      {
        method: 'GET',
        path: '/api/v1/accounts/:accountId/conversations',
        handle(ctx) {
          checkAccount(ctx.params.accountId);
          const status = ctx.query.status ?? 'open';
          const matching = withStatus(conversations, status);
          // Only `page` reaches the collection: Chatwoot ignores any page-size parameter here.
          const page = pagedCollection(matching, { style: 'page_number', pageParam: 'page', defaultSize: pageSize, maxSize: pageSize }).page({
            url: ctx.url,
            query: ctx.query.page === undefined ? {} : { page: ctx.query.page },
          });
          const counts = { mine_count: matching.count, assigned_count: matching.count, unassigned_count: 0, all_count: matching.count };
          return { body: { data: { meta: counts, payload: page.records.map((c) => listedConversation(c, messagesOf(c).at(-1))) } } };
        },
      },
      {
        method: 'GET',
        path: '/api/v1/accounts/:accountId/conversations/:conversationId/messages',
        handle(ctx) {
          checkAccount(ctx.params.accountId);
          const conversation = conversationAt(ctx.params.conversationId!);
          return { body: { meta: messagesMeta(conversation), payload: messagesOf(conversation) } };
        },
      },
      {
        method: 'POST',
        path: '/api/v1/accounts/:accountId/conversations/:conversationId/messages',
        handle(ctx) {
          checkAccount(ctx.params.accountId);
          const conversation = conversationAt(ctx.params.conversationId!);
          const body = (ctx.body ?? {}) as { content?: unknown; message_type?: unknown; private?: unknown };
          if (typeof body.content !== 'string' || body.content.trim() === '') throw new SandboxError(400, 'content must not be blank');
          const list = written.get(conversation.id) ?? [];
          const message: Message = {
            ...messageBase(conversation),
            id: nextWrittenId++,
            content: body.content,
            message_type: body.message_type === 'incoming' ? 0 : 1,
            created_at: conversation.last_activity_at + 60 * (list.length + 1),
            updated_at: conversation.last_activity_at + 60 * (list.length + 1),
            private: body.private === true,
            status: 'sent',
            sender_type: 'agent',
            sender_id: agent.id,
            sender: { id: agent.id, name: agent.name, type: 'user' },
          };
          written.set(conversation.id, [...list, message]);
          return { body: message };
        },
      },
    ],
  };
}

/** The sandbox the hub starts for a Chatwoot connection in sandbox mode. */
export const chatwootSandboxProvider = httpSandbox(() => chatwootSandbox(), { apiKey: chatwootSandboxToken }, { accountId: chatwootSandboxAccountId });

const errorCodes: Record<number, string> = { 400: 'bad_request', 401: 'unauthorized', 404: 'not_found', 429: 'too_many_requests' };

interface SeededConversation {
  id: number;
  uuid: string;
  inbox: (typeof inboxes)[number];
  status: (typeof statuses)[number];
  labels: string[];
  created_at: number;
  last_activity_at: number;
  contact: { id: number; name: string; email: string; created_at: number };
}

type Message = Record<string, unknown> & { id: number };

/**
 * Conversation i: status by position (open, resolved, pending, …) so a status filter stays lazy;
 * newest activity first, as Chatwoot sorts the list.
 */
function seedConversation(random: SeededRandom, i: number, messages: number): SeededConversation {
  const last_activity_at = newest - i * 3_600 - random.int(0, 3_000);
  const name = `${capitalised(random.word())} ${capitalised(random.word())}`;
  return {
    id: i + 1,
    uuid: uuidFrom(random),
    inbox: random.pick(inboxes),
    status: statuses[i % statuses.length]!,
    labels: labelNames.filter(() => random.next() < 0.3),
    created_at: last_activity_at - 600 * Math.max(messages, 1) - random.int(0, 86_400),
    last_activity_at,
    contact: { id: 5_001 + i, name, email: random.email(), created_at: last_activity_at - 30 * 86_400 },
  };
}

/** The conversations with one status, in list order, without generating any record to find them. */
function withStatus(all: LazyRecords<SeededConversation>, status: string): LazyRecords<SeededConversation> {
  if (status === 'all') return all;
  const position = statuses.indexOf(status as (typeof statuses)[number]);
  // `snoozed` is a valid filter that no seeded conversation matches.
  if (position < 0 && status !== 'snoozed') throw new SandboxError(400, `status must be one of all, ${statuses.join(', ')}, snoozed`);
  const count = position < 0 ? 0 : Math.max(0, Math.ceil((all.count - position) / statuses.length));
  return { count, recordAt: (index) => all.recordAt(index * statuses.length + position) };
}

function seedMessage(conversation: SeededConversation, j: number, total: number): Message {
  const fromContact = j % 2 === 0;
  // Spread from the conversation's start to its last activity, the last message at the last activity.
  const created_at = conversation.last_activity_at - (total - 1 - j) * 600;
  return {
    ...messageBase(conversation),
    id: (conversation.id - 1) * total + j + 1,
    content: lines[j % lines.length]!,
    message_type: fromContact ? 0 : 1,
    created_at,
    updated_at: created_at,
    private: false,
    status: fromContact ? 'sent' : 'read',
    sender_type: fromContact ? 'contact' : 'agent',
    sender_id: fromContact ? conversation.contact.id : agent.id,
    sender: fromContact ? { id: conversation.contact.id, name: conversation.contact.name, type: 'contact' } : { id: agent.id, name: agent.name, type: 'user' },
  };
}

function messageBase(conversation: SeededConversation) {
  return { account_id: chatwootSandboxAccountId, inbox_id: conversation.inbox.id, conversation_id: conversation.id, content_type: 'text', content_attributes: {} };
}

/** One entry of `conversation_list.data.payload`: `generic_id` + `conversation` + its `meta`. */
function listedConversation(c: SeededConversation, lastMessage: Message | undefined) {
  return {
    id: c.id,
    account_id: chatwootSandboxAccountId,
    uuid: c.uuid,
    inbox_id: c.inbox.id,
    status: c.status,
    labels: c.labels,
    messages: lastMessage ? [lastMessage] : [],
    ...(lastMessage && { last_non_activity_message: lastMessage }),
    additional_attributes: {},
    custom_attributes: {},
    can_reply: true,
    muted: false,
    unread_count: c.status === 'open' ? 1 : 0,
    agent_last_seen_at: c.last_activity_at,
    assignee_last_seen_at: c.last_activity_at,
    contact_last_seen_at: c.last_activity_at,
    created_at: c.created_at,
    updated_at: c.last_activity_at,
    last_activity_at: c.last_activity_at,
    meta: {
      sender: {
        id: c.contact.id,
        name: c.contact.name,
        email: c.contact.email,
        thumbnail: '',
        availability_status: 'offline',
        blocked: false,
        additional_attributes: {},
        custom_attributes: {},
        last_activity_at: c.last_activity_at,
        created_at: c.contact.created_at,
      },
      channel: c.inbox.channel,
      assignee: { id: agent.id, account_id: chatwootSandboxAccountId, name: agent.name, available_name: agent.name, email: agent.email, role: 'agent', confirmed: true, avatar_url: '' },
      hmac_verified: false,
    },
  };
}

/** The `meta` of a messages page: the conversation's labels, contact (a `contact`, itself a `payload` list) and assignee (an `agent`). */
function messagesMeta(c: SeededConversation) {
  const seenAt = new Date(c.last_activity_at * 1_000).toISOString();
  return {
    labels: c.labels,
    additional_attributes: {},
    contact: {
      payload: [
        { id: c.contact.id, name: c.contact.name, email: c.contact.email, thumbnail: '', blocked: false, additional_attributes: {}, custom_attributes: {}, last_activity_at: c.last_activity_at, created_at: c.contact.created_at },
      ],
    },
    assignee: { id: agent.id, account_id: chatwootSandboxAccountId, name: agent.name, available_name: agent.name, email: agent.email, role: 'agent', confirmed: true, availability_status: 'available' },
    agent_last_seen_at: seenAt,
    assignee_last_seen_at: seenAt,
  };
}

function capitalised(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

function uuidFrom(random: SeededRandom): string {
  const hex = Array.from({ length: 32 }, () => random.int(0, 15).toString(16)).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20)}`;
}
