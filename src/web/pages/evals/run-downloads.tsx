import { type ReportFormat, reportFormat } from '../../../shared/evals';
import { runExportUrl } from '../../api/evals';
import { FileLinks } from '../../components/file-links';

const LABELS: Record<ReportFormat, string> = { csv: 'CSV', json: 'JSON', junit: 'JUnit XML' };

/** An ended run's results as files: what `prompt-workshop eval --output` writes. */
export function RunDownloads({ runId }: { runId: number }) {
  return (
    <FileLinks
      id="run-downloads"
      label="Download the results"
      files={reportFormat.options.map((f) => ({
        id: `download-${f}`,
        href: runExportUrl(runId, f),
        name: LABELS[f],
      }))}
    />
  );
}
