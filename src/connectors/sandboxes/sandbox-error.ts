/**
 * Thrown by a route, or by the kit's helpers, to answer with the sandbox's vendor-shaped error
 * body at `status` (a 400 for a cursor the vendor never issued, a 404 for an unknown record).
 */
export class SandboxError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'SandboxError';
  }
}
