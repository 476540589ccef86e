/** The console's entry: mounts the app into index.html's `#app`. */
import { render } from 'preact';
import { App } from './app';
import { adoptHashRoute } from './router';
import './style.css';

adoptHashRoute();
render(<App />, document.getElementById('app')!);
