import { useEffect, useRef, type ReactNode } from 'react';

/**
 * A page's (or a view's) heading that takes focus when it appears, so after a route change a
 * keyboard or screen-reader user starts at the new content instead of the link they left.
 */
export function PageHeading({ level = 1, children, className }: { level?: 1 | 2; children: ReactNode; className?: string }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    ref.current?.focus({ preventScroll: true });
  }, []);
  const Heading = level === 1 ? 'h1' : 'h2';
  return (
    <Heading ref={ref} tabIndex={-1} className={className ? `page-heading ${className}` : 'page-heading'}>
      {children}
    </Heading>
  );
}
