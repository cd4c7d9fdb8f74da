import { Link } from 'wouter';
import { formatChange, formatNumber } from '../../format';
import type { Insights } from './data-queries';
import { formatPeriod, metricLabel } from './labels';

type Fact = Insights['facts'][number];

const assessments: Record<Fact['assessment'], { glyph: string; word: string }> = {
  good: { glyph: '✓', word: 'Good' },
  bad: { glyph: '!', word: 'Needs attention' },
  neutral: { glyph: '•', word: 'Neutral' },
};

const factAnchor = (id: string) => `fact-${id.replace(/[^a-zA-Z0-9_-]/g, '-')}`;
const factTitle = (fact: Fact) => `${metricLabel(fact.metric)} ${fact.direction === 'up' ? 'rose' : 'fell'} ${formatNumber(Math.abs(fact.change), 'ratio')}`;

/**
 * Notable changes (the facts: previous → current, change, period) and the steps that follow,
 * each step linking to the facts it follows from.
 */
export function InsightsList({ insights, providerNames }: { insights: Insights; providerNames: Record<string, string> }) {
  const facts = new Map(insights.facts.map((f) => [f.id, f]));
  // A stale connection's step follows from the connection itself (`connection:<id>`).
  const connections = new Map(insights.freshness.connections.map((c) => [`connection:${c.connectionId}`, c]));
  return (
    <div className="insights">
      <section aria-labelledby="facts-title">
        <h4 id="facts-title">Notable changes</h4>
        {insights.facts.length === 0 ? (
          <p className="empty">No headline metric moved 15% or more against the period before ({formatPeriod(insights.previousPeriod)}).</p>
        ) : (
          <ul className="facts-list">
            {insights.facts.map((fact) => {
              const assessment = assessments[fact.assessment];
              return (
                <li key={fact.id} id={factAnchor(fact.id)} className={`fact ${fact.assessment}`}>
                  <div className="spread">
                    <strong>
                      {providerNames[fact.provider] ?? fact.provider}: {factTitle(fact)}
                    </strong>
                    <span className={`badge assessment ${fact.assessment}`}>
                      <span aria-hidden="true">{assessment.glyph}</span> {assessment.word}
                    </span>
                  </div>
                  <dl className="fact-numbers">
                    <div>
                      <dt>Before → now</dt>
                      <dd>
                        {formatNumber(fact.previous, fact.unit)} → {formatNumber(fact.current, fact.unit)}
                      </dd>
                    </div>
                    <div>
                      <dt>Change</dt>
                      <dd>{formatChange(fact.change)}</dd>
                    </div>
                    <div>
                      <dt>Period</dt>
                      <dd>
                        {formatPeriod(fact.period)} <span className="muted">against {formatPeriod(fact.previousPeriod)}</span>
                      </dd>
                    </div>
                  </dl>
                </li>
              );
            })}
          </ul>
        )}
      </section>
      <section aria-labelledby="steps-title">
        <h4 id="steps-title">Recommended steps</h4>
        {insights.steps.length === 0 ? (
          <p className="empty">Nothing to act on in this period.</p>
        ) : (
          <ol className="steps-list">
            {insights.steps.map((step) => (
              <li key={step.id}>
                <p>{step.text}</p>
                {step.because.length > 0 ? (
                  <p className="help">
                    Follows from:{' '}
                    {step.because.map((id, i) => {
                      const fact = facts.get(id);
                      const connection = connections.get(id);
                      return (
                        <span key={id}>
                          {i > 0 ? ', ' : ''}
                          {fact ? <a href={`#${factAnchor(id)}`}>{factTitle(fact)}</a> : null}
                          {connection ? <Link href={`~/connections/${connection.connectionId}`}>{connection.name} is stale</Link> : null}
                          {!fact && !connection ? id : null}
                        </span>
                      );
                    })}
                  </p>
                ) : null}
              </li>
            ))}
          </ol>
        )}
      </section>
    </div>
  );
}
