import { type ReactNode, useCallback, useEffect, useRef, useState } from 'react';

interface ModalProps {
  open: boolean;
  onClose: () => void;
  labelledBy: string;
  id?: string;
  children: ReactNode;
}

/** A native modal <dialog>: focus moves in and is kept there, Escape closes, focus returns after. */
export function Modal({ open, onClose, labelledBy, id, children }: ModalProps) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    <dialog ref={ref} id={id} className="modal" aria-labelledby={labelledBy} onClose={onClose}>
      {open ? <div className="modal-body">{children}</div> : null}
    </dialog>
  );
}

export interface ConfirmOptions {
  title: string;
  body: ReactNode;
  confirmLabel: string;
  /** The button that closes the dialog doing nothing; "Cancel" unless that would read as the action. */
  cancelLabel?: string;
  danger?: boolean;
}

/** `const [dialog, confirm] = useConfirm()`; render `dialog`, then `if (await confirm({...}))`. */
export function useConfirm(): [ReactNode, (options: ConfirmOptions) => Promise<boolean>] {
  const [state, setState] = useState<{ options: ConfirmOptions; resolve: (ok: boolean) => void } | null>(
    null,
  );
  const confirm = useCallback(
    (options: ConfirmOptions) => new Promise<boolean>((resolve) => setState({ options, resolve })),
    [],
  );
  const finish = (ok: boolean) => {
    state?.resolve(ok);
    setState(null);
  };
  const dialog = (
    <Modal open={state !== null} onClose={() => finish(false)} labelledBy="confirm-title" id="confirm-dialog">
      {state && (
        <>
          <h2 id="confirm-title">{state.options.title}</h2>
          <div>{state.options.body}</div>
          <div className="modal-actions">
            <button type="button" className="btn" id="confirm-cancel" onClick={() => finish(false)}>
              {state.options.cancelLabel ?? 'Cancel'}
            </button>
            <button
              type="button"
              className={state.options.danger ? 'btn btn-danger solid' : 'btn btn-primary'}
              id="confirm-ok"
              onClick={() => finish(true)}
            >
              {state.options.confirmLabel}
            </button>
          </div>
        </>
      )}
    </Modal>
  );
  return [dialog, confirm];
}
