/** "Export 3 cases: CSV · JSONL · YAML": download links to the files a thing can be had as. */
export function FileLinks({
  id,
  label,
  files,
}: {
  id?: string;
  label: string;
  files: { id: string; href: string; name: string }[];
}) {
  return (
    <p className="export-links" id={id}>
      {label}:{' '}
      {files.map((f, i) => (
        <span key={f.id}>
          {i > 0 && ' · '}
          <a href={f.href} download id={f.id}>
            {f.name}
          </a>
        </span>
      ))}
    </p>
  );
}
