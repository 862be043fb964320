/**
 * Hands a file the window made to the browser's own download (or Electron's save), with no Node in the
 * renderer: the parts become one Blob behind a temporary link.
 */
export function saveDownload(name: string, parts: ReadonlyArray<string>, type: string): void {
  const url = URL.createObjectURL(new Blob([...parts], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // The download has its own copy once started; the next turn is late enough to let the URL go.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
