import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createTransport, stripTokenFromUrl } from './api/client.js';
import { App } from './app.js';
import './styles/base.css';
import './styles/datasets.css';
import './styles/grid.css';
import './styles/runs.css';
import './styles/train.css';

// The first page load carried ?token=; the server has put it in a cookie by now.
stripTokenFromUrl();

const root = document.getElementById('root');
if (!root) throw new Error('index.html lacks #root');
createRoot(root).render(
  <StrictMode>
    <App transport={createTransport()} />
  </StrictMode>,
);
