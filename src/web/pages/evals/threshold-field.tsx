/** The weighted score (0–1) at which a case passes; empty means every assertion must pass. */
export function ThresholdField({
  id,
  value,
  onChange,
}: {
  id: string;
  value: string;
  onChange: (next: string) => void;
}) {
  return (
    <div className="field">
      <label htmlFor={id}>Pass threshold (optional, 0–1)</label>
      <input
        id={id}
        type="number"
        min={0}
        max={1}
        step={0.05}
        value={value}
        onChange={(e) => onChange(e.target.value)}
      />
      <span className="field-hint">Empty: a case passes when every assertion passes.</span>
    </div>
  );
}
