/**
 * How the built console is served, the same locally (infra/local/console-assets.ts) and
 * by CloudFront (infra/constructs/slipway-console.ts): which paths are files of the
 * build, and the security headers every answer carries.
 */

/**
 * Paths that name a file of the build: the hashed bundles under `/assets/` and top-level
 * files such as `/index.html`. Every other path is one of the console's pages
 * (`/runs/run_…`) and is answered with index.html, so a reload or a link opens that page.
 */
export const CONSOLE_FILE_PATH = /^\/(assets\/[^/]+|[^/]+\.[A-Za-z0-9]+)$/;

/**
 * The console loads only its own scripts and styles and calls only its own origin
 * (the API is at `/v1` of the same origin, locally and through CloudFront).
 */
export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export const CONSOLE_HEADERS = {
  'content-security-policy': CONSOLE_CSP,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
} as const;
