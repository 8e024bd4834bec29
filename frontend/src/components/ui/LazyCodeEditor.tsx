import { forwardRef, lazy, Suspense } from 'react';
import type { CodeEditorHandle, CodeEditorProps } from './CodeEditor';
import { LoadingState } from './States';

// CodeMirror is the largest dependency (about 360 kB minified): it is downloaded when an editor
// is first shown, not with the screen that contains it.
const Editor = lazy(() => import('./CodeEditor').then((m) => ({ default: m.CodeEditor })));

export const LazyCodeEditor = forwardRef<CodeEditorHandle, CodeEditorProps>(function LazyCodeEditor(props, ref) {
  return (
    <Suspense fallback={<LoadingState label="Loading the editor…" />}>
      <Editor ref={ref} {...props} />
    </Suspense>
  );
});
