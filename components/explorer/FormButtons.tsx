import { i18n } from '#i18n';

/** Save and Cancel for the explorer's editors; Save is disabled while a save is under way. */
export function FormButtons(props: { busy: boolean; onCancel(): void }) {
  return (
    <div class="buttons">
      <button type="submit" disabled={props.busy}>
        {i18n.t('explorer.save')}
      </button>
      <button type="button" onClick={props.onCancel}>
        {i18n.t('explorer.cancel')}
      </button>
    </div>
  );
}
