/**
 * The masked form of a secret shown to people: its prefix up to the first dash or underscore
 * (kept when it is short, since vendors use it to name the kind of key), an ellipsis, and the last
 * four characters (`pat-na1-…a1b2`). Short secrets show only their last two characters.
 */
export function maskSecret(secret: string): string {
  if (secret.length < 12) return `…${secret.slice(-2)}`;
  const prefix = /^[A-Za-z]{2,8}[-_]/.exec(secret)?.[0] ?? '';
  return `${prefix}…${secret.slice(-4)}`;
}
