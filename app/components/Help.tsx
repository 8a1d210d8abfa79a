/** A "?" that shows what a control does and the reference's default, on hover and on keyboard focus. */
export function Help({ text, reference }: { text: string; reference?: string }) {
  const tip = reference !== undefined ? `${text}\nReference default: ${reference}` : text;
  return (
    <span className="help" tabIndex={0} title={tip} aria-label={tip} data-testid="help">
      ?
      <span className="tip" role="tooltip">
        {text}
        {reference !== undefined && (
          <>
            <br />
            <b>Reference default: {reference}</b>
          </>
        )}
      </span>
    </span>
  );
}
