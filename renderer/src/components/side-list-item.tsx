// An entry of a page's side list (models.css's .models-list: the models, endpoints, pipelines and
// monitored models): a button that opens it, marked as the current one when it is open.
import type { ReactNode } from 'react';

type SideListItemProps = {
  active: boolean;
  onClick: () => void;
  testId: string;
  children: ReactNode;
} & { [data: `data-${string}`]: string | undefined };

export function SideListItem({ active, onClick, testId, children, ...data }: SideListItemProps) {
  return (
    <li>
      <button
        type="button"
        className={active ? 'active' : ''}
        aria-current={active ? 'true' : undefined}
        onClick={onClick}
        data-testid={testId}
        {...data}
      >
        {children}
      </button>
    </li>
  );
}
