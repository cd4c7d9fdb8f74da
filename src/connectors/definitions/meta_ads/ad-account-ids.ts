import { TributaryError } from '../../../domain/errors.js';

/**
 * The ad accounts a connection reads, from its `adAccountIds` config field (kept by
 * PUT /connections/:id/accounts), as Graph's node ids: `act_<digits>`, a bare number accepted.
 */
export function adAccountIds(config: Record<string, unknown>): string[] {
  const ids = String(config.adAccountIds ?? '')
    .split(',')
    .map((id) => id.trim())
    .filter(Boolean);
  if (ids.length === 0) throw new TributaryError('accounts_required', 'Choose the ad accounts this connection reads: GET /connections/:id/accounts lists them, PUT stores the choice.');
  const bad = ids.find((id) => !/^(act_)?\d+$/.test(id));
  if (bad) throw new TributaryError('validation_failed', `config.adAccountIds: "${bad}" is not an ad account id (act_ and digits, as in act_1234567890).`);
  return [...new Set(ids.map((id) => (id.startsWith('act_') ? id : `act_${id}`)))];
}
