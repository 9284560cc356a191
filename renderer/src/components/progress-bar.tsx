interface ProgressBarProps {
  /** 0..1, or undefined for an indeterminate bar. */
  fraction: number | undefined;
  label: string;
}

export function ProgressBar({ fraction, label }: ProgressBarProps) {
  const pct = fraction === undefined ? undefined : Math.round(Math.min(1, Math.max(0, fraction)) * 100);
  return (
    <div
      className={`progress${pct === undefined ? ' progress-indeterminate' : ''}`}
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={pct}
    >
      <div className="progress-fill" style={pct === undefined ? undefined : { width: `${pct}%` }} />
    </div>
  );
}
