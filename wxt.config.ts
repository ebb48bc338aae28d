import { defineConfig } from 'wxt';
import { bundledKb } from './assets/kb';
import { SHIPPED_KB_PATH, shippedKbContents } from './lib/kb/shipped';

// See README "Permissions" for why each permission is requested.
export default defineConfig({
  modules: ['@wxt-dev/webextension-polyfill', '@wxt-dev/i18n/module'],
  hooks: {
    // The KB ships as a file the background reads only when seeding (see lib/kb/shipped.ts).
    'prepare:publicPaths': (_wxt, paths) => {
      paths.push(SHIPPED_KB_PATH);
    },
    'build:publicAssets': (_wxt, files) => {
      files.push({ relativeDest: SHIPPED_KB_PATH.slice(1), contents: shippedKbContents(bundledKb()) });
    },
  },
  manifest: ({ browser }) => ({
    name: '__MSG_extName__',
    description: '__MSG_extDescription__',
    default_locale: 'en',
    permissions: ['storage', 'unlimitedStorage', 'contextMenus', 'scripting'],
    host_permissions: ['<all_urls>'],
    commands: {
      'annotate-selection': {
        suggested_key: { default: 'Alt+Shift+A' },
        description: '__MSG_notesCommand__',
      },
    },
    ...(browser === 'firefox'
      ? {
          browser_specific_settings: {
            gecko: {
              id: 'attache@attache.invalid',
              strict_min_version: '142.0',
              data_collection_permissions: { required: ['none'] },
            },
          },
        }
      : {}),
  }),
});
