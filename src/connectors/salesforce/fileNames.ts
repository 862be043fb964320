/** How a Salesforce file appears as a file name, and how a file name becomes a ContentVersion title. */

/** `Title` plus the extension Salesforce keeps apart, unless the title already ends with it. */
export function fileNameOf(title: string, extension: string | null | undefined): string {
  if (extension === null || extension === undefined || extension === '') return title;
  return title.toLowerCase().endsWith(`.${extension.toLowerCase()}`) ? title : `${title}.${extension}`;
}

/** The title Salesforce shows for an uploaded file: its name without the extension, as the UI does. */
export function titleOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(0, dot) : name;
}

/** A record shown as a folder: its name, or with its id appended when the name alone is not unique or safe. */
export function recordFolderName(name: string, id: string, unique: boolean): string {
  const safe = name.replace(/[/\\\0\r\n]/g, '_').trim();
  return unique && safe === name && safe !== '' && safe !== '.' && safe !== '..' ? name : `${safe || 'Unnamed'} (${id})`;
}

/** Reads the id out of `Name (001…)`, the form a folder takes when its name is not unique. */
export function idInFolderName(segment: string): string | undefined {
  const m = /\(([a-zA-Z0-9]{15}|[a-zA-Z0-9]{18})\)$/.exec(segment);
  return m?.[1];
}
