import { useId, useState, type FormEvent } from 'react';
import { granularities, presets, type Granularity, type Period, type Range } from './period';

/**
 * The period (a preset counted back from the last day with data, or from/to) and, for charts,
 * the granularity. Presets and granularity apply at once; typed dates apply with the button.
 */
export function PeriodPicker(props: {
  range: Range;
  period: Period;
  lastDay: string;
  granularity: Granularity;
  setPreset: (days: number) => void;
  setCustom: (period: Period) => void;
  setGranularity: (granularity: Granularity) => void;
}) {
  const { range, period, lastDay, granularity } = props;
  const ids = useId();
  return (
    <div className="period-picker">
      <label>
        Period
        <select
          value={range.kind === 'custom' ? 'custom' : String(range.days)}
          onChange={(e) => (e.target.value === 'custom' ? props.setCustom(period) : props.setPreset(Number(e.target.value)))}
          aria-describedby={`${ids}-anchor`}
        >
          {presets.map((days) => (
            <option key={days} value={days}>
              Last {days} days
            </option>
          ))}
          <option value="custom">Custom dates</option>
        </select>
      </label>
      <DatesForm key={`${period.from}/${period.to}`} period={period} lastDay={lastDay} onApply={props.setCustom} />
      <label>
        Granularity
        <select value={granularity} onChange={(e) => props.setGranularity(e.target.value as Granularity)}>
          {granularities.map((g) => (
            <option key={g} value={g}>
              By {g}
            </option>
          ))}
        </select>
      </label>
      <p id={`${ids}-anchor`} className="help period-anchor">
        Days are UTC. Presets end on the last day with data ({lastDay}).
      </p>
    </div>
  );
}

function DatesForm({ period, lastDay, onApply }: { period: Period; lastDay: string; onApply: (period: Period) => void }) {
  const [from, setFrom] = useState(period.from);
  const [to, setTo] = useState(period.to);
  const changed = from !== period.from || to !== period.to;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onApply({ from, to });
  };
  return (
    <form className="dates-form" onSubmit={submit}>
      <label>
        From
        <input type="date" value={from} max={to || lastDay} required onChange={(e) => setFrom(e.target.value)} />
      </label>
      <label>
        To
        <input type="date" value={to} min={from} required onChange={(e) => setTo(e.target.value)} />
      </label>
      <button type="submit" disabled={!changed || !from || !to}>
        Apply dates
      </button>
    </form>
  );
}
