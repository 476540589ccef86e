/** An API problem as the API stated it: title, status, detail and every bad field. */
import type { ApiProblem } from './api';

export function ProblemView({ problem, heading }: { problem: ApiProblem; heading?: string }) {
  return (
    <div class="problem" role="alert">
      <p>
        <strong>{heading ?? problem.title}</strong>
        {problem.status ? <span class="status"> (HTTP {problem.status})</span> : null}
      </p>
      {heading ? <p>{problem.title}</p> : null}
      {problem.detail ? <p class="detail">{problem.detail}</p> : null}
      {problem.errors.length ? (
        <ul>
          {problem.errors.map((error) => (
            <li key={error.path}>
              <code>{error.path}</code>: {error.message}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
