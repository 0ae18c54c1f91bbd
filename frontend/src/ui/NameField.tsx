import { useEffect, useState } from 'preact/hooks';
import { NAME_MAX } from '../protocol';

interface Props {
  /** The name the room knows us by. */
  name: string | null;
  onRename(name: string): void;
}

/** Inline rename: Enter or leaving the field sends it; nothing blocks watching meanwhile. */
export function NameField({ name, onRename }: Props) {
  const [draft, setDraft] = useState<string | null>(null);
  // shown from commit until the room confirms (or refuses) the new name
  const [pending, setPending] = useState<string | null>(null);

  useEffect(() => setPending(null), [name]);

  const commit = () => {
    if (draft === null) return;
    const trimmed = draft.trim();
    setDraft(null);
    if (trimmed !== '' && trimmed !== name) {
      setPending(trimmed);
      onRename(trimmed);
    }
  };

  return (
    <form
      class="name-field"
      onSubmit={(event) => {
        event.preventDefault();
        commit();
      }}
    >
      <label for="name-input">Your name</label>
      <input
        id="name-input"
        data-testid="name-input"
        type="text"
        autocomplete="nickname"
        maxLength={NAME_MAX}
        value={draft ?? pending ?? name ?? ''}
        onInput={(event) => setDraft(event.currentTarget.value)}
        onBlur={commit}
      />
    </form>
  );
}
