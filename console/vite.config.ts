import path from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';
import { MANIFEST } from '../lib/manifest/index.ts';

const here = path.dirname(fileURLToPath(import.meta.url));

const ROUTES_MODULE = 'virtual:qm-routes';

/**
 * `virtual:qm-routes`: the API's route table (method, path, roles) taken from the system
 * manifest at build time, so the console hides exactly what the API would refuse and can never
 * drift from it. Only `/api/*` routes and their roles go into the bundle: no handler paths,
 * rules or descriptions.
 */
function manifestRoutes(): Plugin {
  const resolved = `\0${ROUTES_MODULE}`;
  return {
    name: 'qm-manifest-routes',
    resolveId: (id) => (id === ROUTES_MODULE ? resolved : undefined),
    load(id) {
      if (id !== resolved) return undefined;
      const routes = MANIFEST.routes
        .filter((r) => r.path.startsWith('/api/') && 'roles' in r.auth)
        .map((r) => ({ method: r.method, path: r.path, roles: 'roles' in r.auth ? [...r.auth.roles] : [] }));
      return `export const API_ROUTES = ${JSON.stringify(routes)};`;
    },
  };
}

/**
 * The baseline Content-Security-Policy, as a meta tag in the built index.html, so the policy is
 * enforced locally too (and the browser tests run under it). The CDN adds a stricter header
 * policy (exact API and Cognito origins, frame-ancestors); browsers apply both. Only in builds:
 * the dev server injects an inline script for React refresh.
 */
const BASELINE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self' https:",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
].join('; ');

function contentSecurityPolicy(): Plugin {
  return {
    name: 'qm-csp-meta',
    apply: 'build',
    transformIndexHtml: () => [
      {
        tag: 'meta',
        attrs: { 'http-equiv': 'Content-Security-Policy', content: BASELINE_CSP },
        injectTo: 'head-prepend',
      },
    ],
  };
}

/**
 * Cloudscape's global styles embed their Open Sans faces as base64 data URLs: 130 kB of
 * render-blocking CSS on every first load, for fonts the page may not use yet. This moves each
 * face into its own hashed `.woff2` file (cached for a year, fetched only when text uses it) and
 * lets text paint in the fallback font meanwhile (`font-display: swap`).
 */
function globalStylesFontsAsFiles(): Plugin {
  const embeddedFont = /url\((['"]?)data:font\/woff2;base64,([A-Za-z0-9+/=]+)\1\)/g;
  return {
    name: 'qm-global-styles-fonts',
    apply: 'build',
    transform(code, id) {
      if (!/@cloudscape-design[\\/]global-styles[\\/]index\.css/.test(id)) return undefined;
      let face = 0;
      const css = code
        .replace(embeddedFont, (_match, _quote, base64: string) => {
          face += 1;
          const ref = this.emitFile({
            type: 'asset',
            name: `open-sans-${face}.woff2`,
            source: Buffer.from(base64, 'base64'),
          });
          // Vite swaps the placeholder for the asset's final URL when it writes the CSS.
          return `url(__VITE_ASSET__${ref}__)`;
        })
        .replace(/@font-face\s*{/g, '@font-face{font-display:swap;');
      return { code: css, map: null };
    },
  };
}

/**
 * The ops console. `root` is this folder; the build lands in `console/dist`, which the local
 * runtime serves at `/` and the hosting construct uploads. Runtime settings come from
 * `/config.json`, never from build-time environment variables, so one bundle serves every stage.
 */
export default defineConfig(({ command, mode }) => ({
  root: here,
  base: '/',
  publicDir: path.join(here, 'public'),
  plugins: [react(), manifestRoutes(), contentSecurityPolicy(), globalStylesFontsAsFiles()],
  // Nothing from the build environment reaches the bundle.
  envPrefix: 'QM_CONSOLE_PUBLIC_',
  resolve: {
    alias: [
      // Cloudscape's messages ship pre-parsed, so the ICU parser (~14 kB gzipped in every chunk
      // that renders a component) is never called: formatjs's documented parser-less build.
      {
        find: /^@formatjs\/icu-messageformat-parser$/,
        replacement: '@formatjs/icu-messageformat-parser/lib/no-parser.js',
      },
    ],
  },
  build: {
    outDir: path.join(here, 'dist'),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    // Cloudscape's table and property filter are big by nature; screens are split per route.
    chunkSizeWarningLimit: 900,
    rolldownOptions: {
      output: {
        codeSplitting: {
          // React and the router change rarely: their own chunk stays cached across console deploys.
          groups: [{ name: 'react', test: /node_modules[\\/](react|react-dom|react-router|scheduler)[\\/]/ }],
        },
      },
    },
  },
  // A production build ships React's production build and JSX runtime even when the builder
  // runs with another NODE_ENV (vitest sets "test"; Vite would otherwise take it from there).
  ...(command === 'build' && mode === 'production'
    ? {
        define: { 'process.env.NODE_ENV': JSON.stringify('production') },
        oxc: { jsx: { development: false } },
      }
    : {}),
  server: { port: 5173, proxy: { '/api': 'http://127.0.0.1:3000', '/local': 'http://127.0.0.1:3000' } },
}));
