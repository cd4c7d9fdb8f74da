import { errorMessage } from '../api/client';

/** An API error as the API phrased it, announced to screen readers as it appears. */
export function ErrorMessage({ error, title }: { error: unknown; title?: string }) {
  if (!error) return null;
  return (
    <div className="error" role="alert">
      {title ? <strong>{title} </strong> : null}
      {errorMessage(error)}
    </div>
  );
}
