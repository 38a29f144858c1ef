import type { ReactNode } from 'react';

/** A JSON array of assertions, typed by hand; parsed with the shared schema when the form is sent. */
export function AssertionsField({
  id,
  label,
  value,
  onChange,
  invalid,
  rows,
  hint,
}: {
  id: string;
  label: string;
  value: string;
  onChange: (next: string) => void;
  invalid: boolean;
  rows: number;
  hint?: ReactNode;
}) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <textarea
        id={id}
        className="mono"
        rows={rows}
        spellCheck={false}
        value={value}
        aria-describedby={hint ? `${id}-hint` : undefined}
        aria-invalid={invalid}
        onChange={(e) => onChange(e.target.value)}
      />
      {hint && (
        <span className="field-hint" id={`${id}-hint`}>
          {hint}
        </span>
      )}
    </div>
  );
}
