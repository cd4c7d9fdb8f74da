import { useQueryClient, type InfiniteData } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { connectionKey, type SyncRun } from './connection-queries';

interface RunPage {
  runs: SyncRun[];
  nextCursor: string | null;
}

/**
 * Follows a run through `GET /runs/:id/stream` (server-sent events on the same origin, so the
 * session cookie goes along): the run as it is after every change, then its end. When the run
 * ends, what the connection page shows about the connection is read again.
 */
export function useRunStream(runId: string | null, connectionId: string): { run: SyncRun | null; lost: boolean } {
  const queries = useQueryClient();
  const [state, setState] = useState<{ runId: string | null; run: SyncRun | null; lost: boolean }>({ runId: null, run: null, lost: false });
  useEffect(() => {
    if (!runId) return;
    const source = new EventSource(`/api/v1/runs/${encodeURIComponent(runId)}/stream`);
    const show = (event: MessageEvent<string>) => {
      const run = JSON.parse(event.data) as SyncRun;
      setState({ runId, run, lost: false });
      // The run history shows the same run: it follows along instead of asking the hub again.
      queries.setQueryData<InfiniteData<RunPage>>([...connectionKey(connectionId), 'runs'], (history) =>
        history ? { ...history, pages: history.pages.map((page) => ({ ...page, runs: page.runs.map((r) => (r.id === run.id ? run : r)) })) } : history,
      );
    };
    source.addEventListener('progress', show);
    source.addEventListener('end', (event) => {
      show(event);
      // The hub closes the stream after `end`; closing here keeps EventSource from reconnecting.
      source.close();
      void queries.invalidateQueries({ queryKey: connectionKey(connectionId) });
      void queries.invalidateQueries({ queryKey: ['data'] });
    });
    // A dropped connection is retried by EventSource itself; a refused one (404, 401) is closed for good.
    source.onerror = () => {
      if (source.readyState === EventSource.CLOSED) setState((current) => ({ ...current, runId, lost: true }));
    };
    return () => source.close();
  }, [runId, connectionId, queries]);
  return state.runId === runId ? { run: state.run, lost: state.lost } : { run: null, lost: false };
}
