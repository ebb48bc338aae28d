import { i18n } from '#i18n';
import { render } from 'preact';
import { App } from './App';
import './style.css';

document.documentElement.dir = i18n.t('@@bidi_dir') || 'ltr';
document.documentElement.lang = (i18n.t('@@ui_locale') || 'en').replace('_', '-');
render(<App />, document.getElementById('app')!);
