import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { api, unwrap } from '../../api/client';

export interface DefinitionIssue {
  field: string;
  message: string;
}

export type DefinitionCheck = { state: 'checking' } | { state: 'valid' } | { state: 'invalid'; issues: DefinitionIssue[] } | { state: 'failed'; error: unknown };

/** JSON text as a definition object, or the issue that stops it being one. */
export function parseDefinitionText(text: string): { ok: true; definition: Record<string, unknown> } | { ok: false; issue: DefinitionIssue } {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return { ok: true, definition: value as Record<string, unknown> };
    return { ok: false, issue: { field: '(definition)', message: 'must be a JSON object: { "id": …, "name": …, "streams": … }' } };
  } catch (error) {
    return { ok: false, issue: { field: 'JSON', message: error instanceof Error ? error.message : String(error) } };
  }
}

/**
 * A custom definition checked as it is typed, once typing pauses: its JSON syntax here, the rest
 * by the hub (`POST /connectors/validate`, the same checks as saving).
 */
export function useDefinitionCheck(text: string): DefinitionCheck {
  const settled = useSettled(text, 350);
  const parsed = parseDefinitionText(settled);
  const check = useQuery({
    queryKey: ['connector-definition-check', settled],
    queryFn: () => unwrap(api.POST('/api/v1/connectors/validate', { body: parsed.ok ? parsed.definition : {} })),
    enabled: parsed.ok,
    placeholderData: keepPreviousData,
    staleTime: Infinity,
  });
  if (settled !== text || (parsed.ok && check.isFetching && check.isPlaceholderData)) return { state: 'checking' };
  if (!parsed.ok) return { state: 'invalid', issues: [parsed.issue] };
  if (check.error) return { state: 'failed', error: check.error };
  if (!check.data) return { state: 'checking' };
  return check.data.ok ? { state: 'valid' } : { state: 'invalid', issues: check.data.issues };
}

/** The value once it stopped changing for `ms`. */
function useSettled<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}
