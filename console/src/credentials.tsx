/**
 * Cloud credentials. Secrets are write-only: typed into password fields (one per
 * secret the connector's kind declares), sent once, cleared from the form, and never
 * shown again; the API itself returns only their names (`secretFields`).
 */
import { useState } from 'preact/hooks';
import { getAll, request, seg } from './api';
import { time } from './format';
import { ProblemView } from './problem-view';
import type { Role } from './session';
import type { Connector, ConnectorKind, Credential } from './types';
import { useAction } from './use-action';
import { useLoad } from './use-load';

interface SecretField {
  name: string;
  required: boolean;
  description?: string;
}

/** The secret fields a kind's JSON Schema declares. */
export function secretFieldsOf(kind: ConnectorKind | undefined): SecretField[] {
  const schema = (kind?.secrets ?? {}) as { properties?: Record<string, { description?: string }>; required?: string[] };
  return Object.entries(schema.properties ?? {}).map(([name, property]) => ({
    name,
    required: schema.required?.includes(name) ?? false,
    description: property.description,
  }));
}

function SecretsForm(props: { fields: SecretField[]; submitLabel: string; onSubmit: (secrets: Record<string, string>) => Promise<void>; idPrefix: string }) {
  const [values, setValues] = useState<Record<string, string>>({});
  const { busy, problem, run: act } = useAction();
  const submit = (event: Event) => {
    event.preventDefault();
    return act(async () => {
      await props.onSubmit(Object.fromEntries(Object.entries(values).filter(([, v]) => v !== '')));
      setValues({}); // never kept once sent
    });
  };
  return (
    <form onSubmit={submit} class="stack" autocomplete="off">
      {props.fields.map((field) => (
        <div key={field.name}>
          <label for={`${props.idPrefix}-${field.name}`}>
            {field.name}
            {field.required ? '' : ' (optional)'}
          </label>
          <input
            id={`${props.idPrefix}-${field.name}`}
            type="password"
            autocomplete="new-password"
            required={field.required}
            value={values[field.name] ?? ''}
            onInput={(e) => setValues({ ...values, [field.name]: e.currentTarget.value })}
          />
          {field.description ? <p class="hint">{field.description}</p> : null}
        </div>
      ))}
      <div>
        <button type="submit" disabled={busy}>
          {props.submitLabel}
        </button>
      </div>
      {problem ? <ProblemView problem={problem} heading="The credential was refused" /> : null}
    </form>
  );
}

function CredentialRow({
  credential,
  kind,
  onChanged,
  showOwner,
}: {
  credential: Credential;
  kind?: ConnectorKind;
  onChanged: () => void;
  showOwner: boolean;
}) {
  const [replacing, setReplacing] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const { problem, run: act } = useAction();
  const remove = () =>
    act(async () => {
      await request('DELETE', `/credentials/${seg(credential.id)}`);
      onChanged();
    });
  return (
    <tr>
      <th scope="row">{credential.connector}</th>
      {showOwner ? <td>{credential.owner}</td> : null}
      <td>{credential.kind}</td>
      <td>{credential.secretFields.join(', ')}</td>
      <td>{time(credential.updatedAt)}</td>
      <td>
        <button
          type="button"
          class="secondary"
          onClick={() => setReplacing(!replacing)}
          aria-expanded={replacing}
          aria-label={`Replace secrets of ${credential.connector}`}
        >
          Replace secrets
        </button>{' '}
        {deleting ? (
          <span role="group" aria-label={`Confirm deleting the credential for ${credential.connector}`}>
            <button type="button" class="danger" onClick={remove}>
              Yes, delete
            </button>{' '}
            <button type="button" class="secondary" onClick={() => setDeleting(false)}>
              Cancel
            </button>
          </span>
        ) : (
          <button type="button" class="danger" onClick={() => setDeleting(true)} aria-label={`Delete the credential for ${credential.connector}`}>
            Delete
          </button>
        )}
        {replacing ? (
          <SecretsForm
            idPrefix={`replace-${credential.id}`}
            fields={secretFieldsOf(kind)}
            submitLabel="Save new secrets"
            onSubmit={async (secrets) => {
              await request('PUT', `/credentials/${seg(credential.id)}`, { body: { secrets, version: credential.version } });
              setReplacing(false);
              onChanged();
            }}
          />
        ) : null}
        {problem ? <ProblemView problem={problem} /> : null}
      </td>
    </tr>
  );
}

export function Credentials({ role }: { role: Role }) {
  const data = useLoad(async () => {
    const [credentials, connectors, kinds] = await Promise.all([
      getAll<Credential>('/credentials'),
      getAll<Connector>('/connectors'),
      request<{ items: ConnectorKind[] }>('GET', '/connector-kinds').then((r) => r.items),
    ]);
    return { credentials, connectors, kinds };
  }, []);
  const [connector, setConnector] = useState('');
  const [saved, setSaved] = useState<string>();
  const kindOf = (name: string) => data.data?.kinds.find((k) => k.kind === data.data?.connectors.find((c) => c.name === name)?.kind);
  const credentials = data.data?.credentials ?? [];
  // An admin's list holds everyone's credentials, so it cannot tell which connectors are free for the admin: offer all.
  const free = (data.data?.connectors ?? []).filter((c) => role === 'admin' || !credentials.some((cred) => cred.connector === c.name));

  return (
    <main>
      <h1>Credentials</h1>
      <p class="hint">Secrets are write-only: the API keeps them sealed and shows only their names.</p>
      {data.problem ? <ProblemView problem={data.problem} /> : null}
      {saved ? (
        <p role="status" class="notice">
          {saved}
        </p>
      ) : null}
      {credentials.length ? (
        <table>
          <thead>
            <tr>
              <th scope="col">Connector</th>
              {role === 'admin' ? <th scope="col">Owner</th> : null}
              <th scope="col">Kind</th>
              <th scope="col">Secrets stored</th>
              <th scope="col">Updated</th>
              <th scope="col">
                <span class="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {credentials.map((credential) => (
              <CredentialRow
                key={credential.id}
                credential={credential}
                kind={kindOf(credential.connector)}
                onChanged={data.reload}
                showOwner={role === 'admin'}
              />
            ))}
          </tbody>
        </table>
      ) : data.data ? (
        <p class="empty">No credential yet.</p>
      ) : null}
      <section aria-labelledby="add-credential">
        <h2 id="add-credential">Add a credential</h2>
        {free.length ? (
          <>
            <label for="credential-connector">Connector</label>
            <select id="credential-connector" value={connector} onChange={(e) => setConnector(e.currentTarget.value)}>
              <option value="">Choose a connector</option>
              {free.map((c) => (
                <option key={c.name} value={c.name}>
                  {c.name} ({c.kind})
                </option>
              ))}
            </select>
            {connector ? (
              <SecretsForm
                key={connector}
                idPrefix="new"
                fields={secretFieldsOf(kindOf(connector))}
                submitLabel="Save credential"
                onSubmit={async (secrets) => {
                  await request('POST', '/credentials', { body: { connector, secrets } });
                  setSaved(`Credential for ${connector} saved.`);
                  setConnector('');
                  data.reload();
                }}
              />
            ) : null}
          </>
        ) : data.data ? (
          <p class="empty">You hold a credential for every connector (one per connector).</p>
        ) : null}
      </section>
    </main>
  );
}
