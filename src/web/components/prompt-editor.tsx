import { defaultKeymap, history, historyKeymap } from '@codemirror/commands';
import { markdownKeymap, markdownLanguage } from '@codemirror/lang-markdown';
import { defaultHighlightStyle, syntaxHighlighting } from '@codemirror/language';
import { EditorState, Prec } from '@codemirror/state';
import { drawSelection, EditorView, highlightActiveLine, keymap, placeholder } from '@codemirror/view';
import { useEffect, useRef } from 'react';

interface PromptEditorProps {
  /** id of the host element (the seed's `#draft-content`). */
  id: string;
  value: string;
  onChange: (value: string) => void;
  labelledBy: string;
  describedBy?: string;
  placeholderText?: string;
}

/**
 * CodeMirror 6 for prompt text. The host keeps `id`; its text is the editor's content.
 * Tab is left to move focus (no tab trapping), so the page stays usable by keyboard alone.
 */
export function PromptEditor({
  id,
  value,
  onChange,
  labelledBy,
  describedBy,
  placeholderText,
}: PromptEditorProps) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const onChangeRef = useRef(onChange);
  onChangeRef.current = onChange;

  // biome-ignore lint/correctness/useExhaustiveDependencies: created once; value syncs below
  useEffect(() => {
    const editor = new EditorView({
      parent: host.current!,
      state: EditorState.create({
        doc: value,
        extensions: [
          history(),
          drawSelection(),
          highlightActiveLine(),
          keymap.of([...defaultKeymap, ...historyKeymap]),
          // The language alone, not markdown(): that also bundles HTML, CSS and JavaScript parsers.
          markdownLanguage,
          Prec.high(keymap.of(markdownKeymap)),
          syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
          EditorView.lineWrapping,
          placeholder(placeholderText ?? ''),
          EditorView.contentAttributes.of({
            'aria-labelledby': labelledBy,
            ...(describedBy ? { 'aria-describedby': describedBy } : {}),
            'aria-multiline': 'true',
            spellcheck: 'true',
          }),
          EditorView.updateListener.of((update) => {
            if (update.docChanged) onChangeRef.current(update.state.doc.toString());
          }),
        ],
      }),
    });
    view.current = editor;
    performance.mark('editor-ready');
    return () => {
      editor.destroy();
      view.current = null;
    };
  }, []);

  // Outside changes (Extract, reload after a conflict, reset) replace the document.
  useEffect(() => {
    const editor = view.current;
    if (!editor) return;
    const current = editor.state.doc.toString();
    if (current !== value) editor.dispatch({ changes: { from: 0, to: current.length, insert: value } });
  }, [value]);

  return <div id={id} ref={host} className="prompt-editor" />;
}
