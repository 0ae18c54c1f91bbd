import type { ComponentChildren } from 'preact';
import { describeFailure, type LinkFailure } from '../links/failures';

/**
 * Why a link cannot be added or played, for the code it failed with
 * (`data-code`). Text only: the sentence comes from the server.
 */
export function LinkFailureNote({
  failure,
  testId,
  children,
}: {
  failure: LinkFailure;
  testId: string;
  children?: ComponentChildren;
}) {
  const text = describeFailure(failure);
  return (
    <div class="link-failure" role="alert" data-testid={testId} data-code={failure.code}>
      <strong class="link-failure-title">{text.title}</strong>
      <span class="link-failure-detail">{text.detail}</span>
      {children}
    </div>
  );
}
