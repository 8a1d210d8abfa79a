/** A forced backend could not be started, or none could (its message says which, and what to choose instead). */
export class BackendUnavailableError extends Error {
  override name = 'BackendUnavailableError';
}
