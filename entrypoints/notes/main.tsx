import { i18n } from '#i18n';
import { render } from 'preact';
import { NotesApp } from './App';
import './style.css';

// From the message bundle in use (see locales/en.yml `ui`), not @@bidi_dir: they can disagree in Chromium.
document.documentElement.dir = i18n.t('ui.dir');
document.documentElement.lang = i18n.t('ui.lang');
document.title = `Attaché — ${i18n.t('notes.title')}`;
render(<NotesApp />, document.getElementById('app')!);
