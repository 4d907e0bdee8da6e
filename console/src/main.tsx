import '@cloudscape-design/global-styles/index.css';
import './styles.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { createAuthProvider } from './app/auth.ts';
import { loadConfig } from './app/config.ts';
import { applyDensityPreference, applyTheme, readDensity, readTheme } from './app/preferences.ts';
import { SessionProvider } from './app/session.tsx';
import { ConsoleRoutes, preloadFirstScreen } from './routes.tsx';

applyTheme(readTheme());
applyDensityPreference(readDensity());
const firstScreen = preloadFirstScreen(window.location.pathname);

const root = createRoot(document.getElementById('root') as HTMLElement);

async function start() {
  const config = await loadConfig();
  const auth = await createAuthProvider(config);
  const token = await auth.currentToken();
  // Rendering with the first screen's modules at hand shows it in one go (no fallback first).
  await firstScreen;
  root.render(
    <StrictMode>
      <SessionProvider config={config} auth={auth} initialToken={token}>
        <BrowserRouter>
          <ConsoleRoutes />
        </BrowserRouter>
      </SessionProvider>
    </StrictMode>,
  );
}

start().catch((error: Error) => {
  // Without config or auth nothing else can render; say what is wrong in plain HTML.
  const main = document.createElement('main');
  main.className = 'qm-fatal';
  const h1 = document.createElement('h1');
  h1.textContent = 'Quartermaster could not start';
  const p = document.createElement('p');
  p.textContent = error.message;
  main.append(h1, p);
  document.getElementById('root')?.replaceChildren(main);
});
