import type { ReactNode } from 'react';

/** The panel of tab `id`, labelled by its button `tab-button-{id}`; hidden unless it is the active one. */
export function TabPanel({ id, active, children }: { id: string; active: boolean; children: ReactNode }) {
  return (
    <div
      role="tabpanel"
      id={`tab-${id}`}
      aria-labelledby={`tab-button-${id}`}
      hidden={!active}
      className="tab-panel"
    >
      {children}
    </div>
  );
}
