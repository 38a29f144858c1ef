import { formatNumber } from '../../lib/format';

/** A whole number from `min` (default 1) to `max`, with its range as the hint. */
export function NumberField(props: {
  id: string;
  label: string;
  value: number;
  min?: number;
  max: number;
  onChange: (n: number) => void;
}) {
  return (
    <div className="field">
      <label htmlFor={props.id}>{props.label}</label>
      <input
        id={props.id}
        type="number"
        min={props.min ?? 1}
        max={props.max}
        step={1}
        required
        value={props.value}
        onChange={(e) => props.onChange(Math.trunc(Number(e.target.value)) || (props.min ?? 1))}
      />
      <span className="field-hint">
        {formatNumber(props.min ?? 1)}–{formatNumber(props.max)}
      </span>
    </div>
  );
}
