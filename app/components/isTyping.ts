/** Inputs that take no typed text: sliders, checkboxes, buttons. */
const NOT_TEXT = new Set(['range', 'checkbox', 'radio', 'button', 'submit', 'reset', 'color', 'file', 'image']);

/**
 * True when a key press belongs to the focused field (the studio's shortcuts then stay out of the way): any key in
 * a text field or select; in a slider or checkbox only the keys it uses itself (Space, Enter, arrows), so that after
 * scrubbing the timeline P, G, D and B still work. Without `key`, any input counts.
 */
export function isTyping(t: EventTarget | null, key?: string): boolean {
  if (!(t instanceof HTMLElement)) return false;
  if (t instanceof HTMLInputElement && NOT_TEXT.has(t.type) && key !== undefined) return key === ' ' || key === 'Enter' || key.startsWith('Arrow');
  return t.isContentEditable || t instanceof HTMLInputElement || t instanceof HTMLTextAreaElement || t instanceof HTMLSelectElement;
}
