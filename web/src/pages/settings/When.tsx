import { formatDateTime, formatRelative } from '../../format';

/** A moment as people read it ("3 minutes ago"), the exact time on hover and for machines. */
export function When({ iso, never = 'never' }: { iso: string | null; never?: string }) {
  if (!iso) return <span className="muted">{never}</span>;
  return (
    <time dateTime={iso} title={formatDateTime(iso)}>
      {formatRelative(iso)}
    </time>
  );
}
