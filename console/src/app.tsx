/** The console's frame: sign-in when there is no session, else the navigation and the page for the path. */
import { useEffect, useState } from 'preact/hooks';
import { type ApiProblem, whenUnauthorized } from './api';
import { BuildPage } from './builds';
import { Catalog } from './catalog';
import { Credentials } from './credentials';
import { Dashboard } from './dashboard';
import { DeploymentPage, Deployments } from './deployments';
import { ImagePage, Images } from './images';
import { InvoicePage, Invoices } from './invoices';
import { Launch } from './launch';
import { OrderNew, OrderPage } from './order-page';
import { Orders } from './orders';
import { Link, match, navigate, useLocation } from './router';
import { Projects } from './projects';
import { RunPage } from './run-page';
import { clearSession, loadSession, type Role, type Session } from './session';
import { SignIn } from './sign-in';
import { VendorProducts, VendorReports } from './vendor';

/** The navigation; `roles`: only for those (vendors' pages). */
const NAV: { href: string; label: string; roles?: Role[] }[] = [
  { href: '/', label: 'Dashboard' },
  { href: '/launch', label: 'Launch' },
  { href: '/catalog', label: 'Catalog' },
  { href: '/orders', label: 'Orders' },
  { href: '/invoices', label: 'Invoices' },
  { href: '/vendor/products', label: 'Products', roles: ['vendor', 'admin'] },
  { href: '/vendor/reports', label: 'Reports', roles: ['vendor', 'admin'] },
  { href: '/projects', label: 'Projects' },
  { href: '/images', label: 'Images' },
  { href: '/deployments', label: 'Deployments' },
  { href: '/credentials', label: 'Credentials' },
];

function Page({ path, role }: { path: string; role: Role }) {
  let params: Record<string, string> | undefined;
  if (path === '/' || path === '') return <Dashboard role={role} />;
  if (match('/launch', path)) return <Launch />;
  if ((params = match('/runs/:id', path))) return <RunPage key={params.id} id={params.id!} />;
  if (match('/projects', path)) return <Projects />;
  if (match('/images', path)) return <Images />;
  if ((params = match('/images/:id', path))) return <ImagePage key={params.id} id={params.id!} />;
  if ((params = match('/builds/:id', path))) return <BuildPage key={params.id} id={params.id!} />;
  if (match('/deployments', path)) return <Deployments />;
  if ((params = match('/deployments/:id', path))) return <DeploymentPage key={params.id} id={params.id!} />;
  if (match('/credentials', path)) return <Credentials role={role} />;
  if (match('/catalog', path)) return <Catalog role={role} />;
  if (match('/order', path)) return <OrderNew />;
  if (match('/orders', path)) return <Orders role={role} />;
  if ((params = match('/orders/:id', path))) return <OrderPage key={params.id} id={params.id!} />;
  if (match('/invoices', path)) return <Invoices role={role} />;
  if ((params = match('/invoices/:id', path))) return <InvoicePage key={params.id} id={params.id!} role={role} />;
  if (match('/vendor/products', path)) return <VendorProducts role={role} />;
  if (match('/vendor/reports', path)) return <VendorReports role={role} />;
  return (
    <main>
      <h1>Not found</h1>
      <p>
        The console has no page at <code>{path}</code>. <Link href="/">Go to the dashboard</Link>.
      </p>
    </main>
  );
}

export function App() {
  const [session, setSession] = useState<Session | undefined>(loadSession);
  const [refused, setRefused] = useState<ApiProblem>();
  const { path } = useLocation();
  useEffect(
    () =>
      whenUnauthorized((problem) => {
        setRefused(problem);
        setSession(undefined);
      }),
    [],
  );
  useEffect(() => {
    document.title = session ? `Slipway · ${NAV.find((n) => n.href === path)?.label ?? path}` : 'Slipway console · sign in';
  }, [session, path]);

  if (!session) {
    return (
      <SignIn
        reason={refused}
        onSignedIn={(next) => {
          setRefused(undefined);
          setSession(next);
        }}
      />
    );
  }
  const current = (href: string) => (href === '/' ? path === '/' : path.startsWith(href)) || undefined;
  return (
    <>
      <a class="skip" href="#content">
        Skip to content
      </a>
      <header class="top">
        <Link href="/" class="brand">
          Slipway
        </Link>
        <nav aria-label="Console">
          <ul>
            {NAV.filter((item) => !item.roles || item.roles.includes(session.role)).map((item) => (
              <li key={item.href}>
                <Link href={item.href} aria-current={current(item.href) ? 'page' : undefined}>
                  {item.label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <span class="who">{session.role}</span>
        <button
          type="button"
          class="secondary"
          onClick={() => {
            clearSession();
            setSession(undefined);
            navigate('/');
          }}
        >
          Sign out
        </button>
      </header>
      <div id="content">
        <Page path={path} role={session.role} />
      </div>
    </>
  );
}
