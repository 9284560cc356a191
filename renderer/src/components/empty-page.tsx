// What a page shows before it has anything (no datasets, runs, models, pipelines or monitored
// models yet): a card with an icon, a title, and the words and buttons that say how to begin.
import type { ReactNode } from 'react';

interface EmptyPageProps {
  /** One glyph, drawn large; hidden from screen readers. */
  icon: string;
  title: string;
  testId: string;
  children: ReactNode;
}

export function EmptyPage({ icon, title, testId, children }: EmptyPageProps) {
  return (
    <div className="empty-state" data-testid={testId}>
      <div className="empty-card">
        <div className="empty-icon" aria-hidden="true">
          {icon}
        </div>
        <h1>{title}</h1>
        {children}
      </div>
    </div>
  );
}
