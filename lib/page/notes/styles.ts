/**
 * Styles of the in-page notes UI (inside its shadow root, so the page's CSS cannot reach it). No
 * `:host` rule: the host is styled once, by the content script that made it (bridge.ts).
 */
export const NOTES_UI_CSS = `
* { box-sizing: border-box; font-family: system-ui, -apple-system, "Segoe UI", "Noto Sans", "Noto Sans Arabic", sans-serif; }
.annotate {
  position: fixed; z-index: 2147483646; padding: 4px 10px; border-radius: 6px; border: 1px solid #5b4a00;
  background: #ffd54f; color: #1d1600; font-size: 13px; font-weight: 600; cursor: pointer;
  box-shadow: 0 2px 6px rgba(0,0,0,.25);
}
.panel {
  position: fixed; z-index: 2147483647; inset-block-start: 16px; inset-inline-end: 16px; width: min(380px, calc(100vw - 32px));
  max-height: calc(100vh - 32px); overflow: auto; background: #fff; color: #1a1a1a; border: 1px solid #c9c9c9;
  border-radius: 10px; box-shadow: 0 8px 28px rgba(0,0,0,.25); padding: 14px; font-size: 14px; line-height: 1.4;
}
h2 { font-size: 15px; margin: 0 0 8px; }
.quote { margin: 0 0 10px; padding: 6px 10px; border-inline-start: 3px solid #e0b000; background: #fff8dc; max-height: 7em; overflow: auto; }
label { display: block; margin-block-end: 8px; font-weight: 600; font-size: 13px; }
textarea, input[type=text] { display: block; width: 100%; margin-block-start: 3px; font: inherit; font-weight: 400; padding: 5px 7px; border: 1px solid #aaa; border-radius: 6px; }
fieldset { border: 1px solid #ddd; border-radius: 6px; margin: 0 0 10px; padding: 6px 8px; }
legend { font-size: 13px; font-weight: 600; }
fieldset ul { list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: 4px; }
fieldset li { background: #eef2ff; border-radius: 12px; padding: 2px 4px 2px 10px; display: flex; align-items: center; gap: 2px; }
.remove { border: 0; background: none; cursor: pointer; font-size: 15px; padding: 0 4px; }
.muted { color: #666; margin: 0; }
.error { color: #9b1111; background: #fdecec; border-radius: 6px; padding: 6px 8px; }
.buttons { display: flex; gap: 6px; flex-wrap: wrap; }
.buttons button { font: inherit; padding: 5px 12px; border-radius: 6px; border: 1px solid #999; background: #f4f4f4; cursor: pointer; }
.buttons .primary { background: #1f4fd1; border-color: #1f4fd1; color: #fff; }
.buttons .danger { color: #9b1111; margin-inline-start: auto; }
.notice { margin: 0 0 8px; }
.kept { margin: 0 0 10px; padding: 6px 10px; border: 1px dashed #b08a00; border-radius: 6px; background: #fffbea; }
.kept blockquote { margin: 4px 0; white-space: pre-wrap; max-height: 7em; overflow: auto; }
.kept p { margin: 0 0 4px; }
.load-latest { font-weight: 600; }
`;
