/** A small progress indicator with a text label for screen readers. */
export function Spinner({ label, block = false }: { label: string; block?: boolean }) {
  return (
    <span className={block ? 'spinner-block' : 'spinner-inline'} role="status">
      <span className="spinner" aria-hidden="true" />
      <span className={block ? '' : 'visually-hidden'}>{label}</span>
    </span>
  );
}
