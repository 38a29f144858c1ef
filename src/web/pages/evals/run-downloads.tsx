import { type ReportFormat, reportFormat } from '../../../shared/evals';
import { runExportUrl } from '../../api/evals';

const LABELS: Record<ReportFormat, string> = { csv: 'CSV', json: 'JSON', junit: 'JUnit XML' };

/** An ended run's results as files: what `prompt-workshop eval --output` writes. */
export function RunDownloads({ runId }: { runId: number }) {
  return (
    <p className="export-links" id="run-downloads">
      Download the results:{' '}
      {reportFormat.options.map((f, i) => (
        <span key={f}>
          {i > 0 && ' · '}
          <a href={runExportUrl(runId, f)} download id={`download-${f}`}>
            {LABELS[f]}
          </a>
        </span>
      ))}
    </p>
  );
}
