import { i18n } from '#i18n';
import { render } from 'preact';
import { NotesApp } from './App';
import './style.css';

document.documentElement.dir = i18n.t('@@bidi_dir') || 'ltr';
document.documentElement.lang = (i18n.t('@@ui_locale') || 'en').replace('_', '-');
document.title = `Attaché — ${i18n.t('notes.title')}`;
render(<NotesApp />, document.getElementById('app')!);
