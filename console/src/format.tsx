/** Small presentational pieces shared by the pages. */
/** A run or instance state, coloured by its class (in progress, ready, ending, done, failed). */
export function StateBadge({ state }: { state: string }) {
  return <span class={`badge state-${state.toLowerCase()}`}>{state}</span>;
}

export function time(iso: string | undefined): string {
  if (!iso) return '—';
  const at = new Date(iso);
  return Number.isNaN(at.getTime()) ? iso : at.toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'medium' });
}

export function vmHours(seconds: number): string {
  return `${(seconds / 3600).toFixed(seconds < 36 ? 3 : 1)} VM-h`;
}

/** Steps (an order's, a build's), oldest first, as a timeline of state badges and messages. */
export function StepTimeline({ steps, label }: { steps: readonly { at: string; state: string; message: string }[]; label: string }) {
  return (
    <ol class="timeline" aria-label={label}>
      {steps.map((step, i) => (
        <li key={`${step.at}-${i}`} class="transition">
          <time dateTime={step.at}>{time(step.at)}</time>
          <StateBadge state={step.state} />
          <span>{step.message}</span>
        </li>
      ))}
    </ol>
  );
}
