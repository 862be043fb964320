/** What Ferry knows about the objects files hang on, before asking the org. */
export interface FileBearingObject {
  readonly name: string;
  readonly keyPrefix: string;
  /** The field that names a record: what a folder is called and what a name is looked up by. */
  readonly nameField: string;
}

export const FILE_BEARING_OBJECTS: ReadonlyArray<FileBearingObject> = [
  { name: 'Account', keyPrefix: '001', nameField: 'Name' },
  { name: 'Opportunity', keyPrefix: '006', nameField: 'Name' },
  { name: 'Case', keyPrefix: '500', nameField: 'CaseNumber' },
  { name: 'Order', keyPrefix: '801', nameField: 'OrderNumber' },
  { name: 'Product2', keyPrefix: '01t', nameField: 'Name' },
  { name: 'Campaign', keyPrefix: '701', nameField: 'Name' },
  { name: 'Quote', keyPrefix: '0Q0', nameField: 'Name' },
  { name: 'Contact', keyPrefix: '003', nameField: 'Name' },
  { name: 'Lead', keyPrefix: '00Q', nameField: 'Name' },
];

export function fileBearingObject(name: string): FileBearingObject | undefined {
  const wanted = name.toLowerCase();
  return FILE_BEARING_OBJECTS.find((o) => o.name.toLowerCase() === wanted);
}

/**
 * Fields a record is also known by, besides its name: the numbers coordinators quote from invoices and
 * orders. A record search looks in these too.
 */
const SEARCH_FIELDS: Readonly<Record<string, ReadonlyArray<string>>> = {
  Account: ['AccountNumber'],
  Case: ['Subject'],
  Quote: ['QuoteNumber'],
};

export function searchFieldsOf(object: FileBearingObject): ReadonlyArray<string> {
  return SEARCH_FIELDS[object.name] ?? [];
}
