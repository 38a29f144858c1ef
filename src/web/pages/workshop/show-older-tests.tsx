import { Spinner } from '../../components/spinner';

/**
 * Under the History list while older runs remain. While they load it only looks disabled
 * (aria-disabled; the click is ignored), so the keyboard focus stays on it.
 */
export function ShowOlderTests({
  loading,
  error,
  onShow,
}: {
  loading: boolean;
  error: string | null;
  onShow: () => void;
}) {
  return (
    <div className="button-row history-more">
      <button
        type="button"
        className="btn btn-small"
        id="show-older-tests"
        onClick={() => {
          if (!loading) onShow();
        }}
        aria-disabled={loading || undefined}
        aria-busy={loading || undefined}
      >
        Show older tests
      </button>
      {loading && <Spinner label="Loading older tests" />}
      {error && (
        <span role="alert" className="field-error">
          {error}
        </span>
      )}
    </div>
  );
}
