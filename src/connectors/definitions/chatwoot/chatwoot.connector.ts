import { defineConnector } from '../../runtime/define.js';

/**
 * Chatwoot, read through the account (application) API with a user access token.
 * Spec: Chatwoot's OpenAPI 3.0 description (`swagger/swagger.json` in chatwoot/chatwoot; the copy
 * in `test/specs/chatwoot/swagger.json` drives `chatwoot.contract.test.ts`). Docs:
 * https://developers.chatwoot.com/api-reference/conversations/conversations-list and
 * https://developers.chatwoot.com/api-reference/messages/get-messages.
 * The spec documents no page size for conversations, so a read stops at the first empty page
 * rather than guess one; and no paging parameter for messages, so each conversation's messages
 * are one request.
 */
const messagesPath = '/api/v1/accounts/{accountId}/conversations/{conversationId}/messages';

const messageInput = (content: string) => ({
  type: 'object',
  required: ['conversationId', 'content'],
  additionalProperties: false,
  properties: {
    conversationId: { type: 'integer', minimum: 1, description: 'The conversation, by the number Chatwoot shows for it.' },
    content: { type: 'string', minLength: 1, description: content },
  },
});

export default defineConnector({
  id: 'chatwoot',
  name: 'Chatwoot',
  kind: 'api',
  category: 'support',
  description: 'Conversations and their messages from a Chatwoot account, cloud or self-hosted; replies and private notes after approval.',
  docs: 'https://developers.chatwoot.com/api-reference/conversations/conversations-list',
  icon: 'icon.svg',
  baseUrl: 'https://app.chatwoot.com',
  config: {
    baseUrl: {
      type: 'string',
      title: 'Chatwoot URL',
      description: 'Where your Chatwoot answers; change it for a self-hosted instance.',
      format: 'uri',
      default: 'https://app.chatwoot.com',
      required: false,
    },
    accountId: {
      type: 'integer',
      title: 'Account ID',
      description: 'The number after /app/accounts/ in the address of your Chatwoot dashboard.',
    },
  },
  // The spec's `userApiKey` scheme: the account API acts as the user whose profile holds the token.
  auth: [{ method: 'api_key', label: 'User access token (Profile settings)', in: 'header', name: 'api_access_token' }],
  testStream: 'conversations',
  streams: {
    conversations: {
      description: 'Every conversation of the account, whatever its status, with its contact and assignee.',
      // The list answers open conversations unless asked for all of them.
      request: { path: '/api/v1/accounts/{accountId}/conversations', query: { status: 'all' } },
      records: 'data.payload',
      primaryKey: 'id',
      paginate: { style: 'page_number', pageParam: 'page' },
      // Moves with every message and activity (status, assignment, labels); the list has no filter on it, so reads stay full.
      incremental: { field: 'last_activity_at' },
    },
    messages: {
      description: 'The messages of every conversation, private notes and activity included.',
      request: { path: messagesPath },
      parent: { stream: 'conversations', bind: { conversationId: 'id' } },
      records: 'payload',
      primaryKey: 'id',
    },
  },
  actions: {
    send_reply: {
      description: 'Sends a public reply to the contact of a conversation.',
      request: { method: 'POST', path: messagesPath, body: { message_type: 'outgoing', private: false } },
      needsApproval: true,
      input: messageInput('The reply, as the contact will read it.'),
    },
    draft_private_note: {
      description: 'Adds a private note to a conversation, seen by agents only.',
      request: { method: 'POST', path: messagesPath, body: { message_type: 'outgoing', private: true } },
      needsApproval: true,
      input: messageInput('The note, for the agents of the account.'),
    },
  },
});
