/** The org's metadata: which objects exist and what their fields are, as describe calls report them. */

export type FieldType =
  | 'id'
  | 'string'
  | 'reference'
  | 'boolean'
  | 'int'
  | 'double'
  | 'currency'
  | 'percent'
  | 'datetime'
  | 'date'
  | 'textarea'
  | 'picklist'
  | 'multipicklist'
  | 'base64'
  | 'url'
  | 'email'
  | 'phone';

export interface FieldDef {
  readonly name: string;
  readonly label: string;
  readonly type: FieldType;
  readonly length: number;
  readonly nillable: boolean;
  readonly createable: boolean;
  readonly updateable: boolean;
  readonly custom: boolean;
  /** Formula or system-computed: never written by clients. */
  readonly calculated: boolean;
  readonly defaultedOnCreate: boolean;
  readonly referenceTo: ReadonlyArray<string>;
  readonly relationshipName: string | null;
  readonly picklistValues: ReadonlyArray<string>;
  /** Value given when an insert leaves the field out. */
  readonly defaultValue?: string | number | boolean;
}

export interface SObjectDef {
  readonly name: string;
  readonly label: string;
  readonly labelPlural: string;
  readonly keyPrefix: string;
  readonly custom: boolean;
  readonly createable: boolean;
  readonly updateable: boolean;
  readonly deletable: boolean;
  readonly queryable: boolean;
  /** The field that names a record (Name, CaseNumber, OrderNumber, Title...). */
  readonly nameField: string;
  /** The binary field uploaded by multipart or base64, when the object carries one. */
  readonly blobField?: string;
  /** Auto-number name fields: `{prefix}{counter padded to digits}`. */
  readonly autoNumber?: { readonly field: string; readonly format: (n: number) => string };
  readonly fields: ReadonlyArray<FieldDef>;
}

type FieldSpec = Partial<Omit<FieldDef, 'name' | 'type'>> & { readonly type: FieldType };

function field(name: string, spec: FieldSpec): FieldDef {
  const custom = name.endsWith('__c');
  return {
    name,
    label: spec.label ?? name.replace(/__c$/, '').replace(/^cg__/, '').replace(/_/g, ' ').replace(/Id$/, ' ID'),
    type: spec.type,
    length: spec.length ?? (spec.type === 'string' || spec.type === 'picklist' ? 255 : spec.type === 'id' || spec.type === 'reference' ? 18 : spec.type === 'textarea' ? 32000 : 0),
    nillable: spec.nillable ?? true,
    createable: spec.createable ?? true,
    updateable: spec.updateable ?? spec.createable ?? true,
    custom: spec.custom ?? custom,
    calculated: spec.calculated ?? false,
    defaultedOnCreate: spec.defaultedOnCreate ?? false,
    referenceTo: spec.referenceTo ?? [],
    relationshipName: spec.relationshipName ?? null,
    picklistValues: spec.picklistValues ?? [],
    ...(spec.defaultValue === undefined ? {} : { defaultValue: spec.defaultValue }),
  };
}

const system = (type: FieldType, extra: Partial<FieldSpec> = {}): FieldSpec => ({
  type,
  nillable: false,
  createable: false,
  updateable: false,
  defaultedOnCreate: true,
  ...extra,
});
const required = (type: FieldType, extra: Partial<FieldSpec> = {}): FieldSpec => ({ type, nillable: false, ...extra });
const ref = (to: ReadonlyArray<string>, relationshipName: string, extra: Partial<FieldSpec> = {}): FieldSpec => ({
  type: 'reference',
  referenceTo: to,
  relationshipName,
  ...extra,
});
const picklist = (values: ReadonlyArray<string>, extra: Partial<FieldSpec> = {}): FieldSpec => ({
  type: 'picklist',
  picklistValues: values,
  ...extra,
});

/** Fields every object has: the record id, audit stamps and the deleted flag. */
function auditFields(withOwner: boolean): FieldDef[] {
  return [
    field('Id', system('id', { label: 'Record ID' })),
    ...(withOwner ? [field('OwnerId', ref(['User'], 'Owner', { nillable: false, defaultedOnCreate: true }))] : []),
    field('IsDeleted', system('boolean')),
    field('CreatedDate', system('datetime')),
    field('CreatedById', ref(['User'], 'CreatedBy', system('reference'))),
    field('LastModifiedDate', system('datetime')),
    field('LastModifiedById', ref(['User'], 'LastModifiedBy', system('reference'))),
    field('SystemModstamp', system('datetime')),
  ];
}

interface ObjectSpec {
  readonly name: string;
  readonly keyPrefix: string;
  readonly label?: string;
  readonly labelPlural?: string;
  readonly nameField?: string;
  readonly blobField?: string;
  readonly owner?: boolean;
  readonly autoNumber?: SObjectDef['autoNumber'];
  readonly deletable?: boolean;
  readonly createable?: boolean;
  readonly fields: Record<string, FieldSpec>;
}

function object(spec: ObjectSpec): SObjectDef {
  const label = spec.label ?? spec.name.replace(/__c$/, '').replace(/^cg__/, '');
  return {
    name: spec.name,
    label,
    labelPlural: spec.labelPlural ?? `${label}s`,
    keyPrefix: spec.keyPrefix,
    custom: spec.name.endsWith('__c'),
    createable: spec.createable ?? true,
    updateable: true,
    deletable: spec.deletable ?? true,
    queryable: true,
    nameField: spec.nameField ?? 'Name',
    ...(spec.blobField === undefined ? {} : { blobField: spec.blobField }),
    ...(spec.autoNumber === undefined ? {} : { autoNumber: spec.autoNumber }),
    fields: [...auditFields(spec.owner ?? true), ...Object.entries(spec.fields).map(([n, s]) => field(n, s))],
  };
}

const autoNumber = (fieldName: string, prefix: string, digits: number): SObjectDef['autoNumber'] => ({
  field: fieldName,
  format: (n) => `${prefix}${String(n).padStart(digits, '0')}`,
});

const APPROVAL = ['Draft', 'Submitted', 'Approved', 'Rejected'];

/** Objects that can carry files, in the order a person browsing an org expects them. */
export const FILE_BEARING_OBJECTS = ['Account', 'Opportunity', 'Case', 'Order', 'Product2', 'Campaign', 'Quote', 'Contact', 'Lead'] as const;

function standardObjects(): SObjectDef[] {
  return [
    object({ name: 'Organization', keyPrefix: '00D', owner: false, createable: false, deletable: false, fields: { Name: required('string') } }),
    object({
      name: 'User',
      keyPrefix: '005',
      owner: false,
      fields: {
        Username: required('string'),
        FirstName: { type: 'string' },
        LastName: required('string'),
        Name: system('string'),
        Email: required('email'),
        IsActive: { type: 'boolean', defaultValue: true, defaultedOnCreate: true, nillable: false },
      },
    }),
    object({
      name: 'Account',
      keyPrefix: '001',
      fields: {
        Name: required('string'),
        AccountNumber: { type: 'string', length: 40 },
        Type: picklist(['Customer', 'Partner', 'Prospect', 'Supplier']),
        Industry: picklist(['Manufacturing', 'Retail', 'Logistics', 'Energy', 'Healthcare', 'Technology']),
        BillingCity: { type: 'string', length: 40 },
        BillingCountry: { type: 'string', length: 80 },
        Phone: { type: 'phone', length: 40 },
        Website: { type: 'url' },
        Description: { type: 'textarea' },
      },
    }),
    object({
      name: 'Contact',
      keyPrefix: '003',
      fields: {
        FirstName: { type: 'string', length: 40 },
        LastName: required('string', { length: 80 }),
        Name: system('string'),
        Email: { type: 'email' },
        AccountId: ref(['Account'], 'Account'),
      },
    }),
    object({
      name: 'Lead',
      keyPrefix: '00Q',
      fields: {
        FirstName: { type: 'string', length: 40 },
        LastName: required('string', { length: 80 }),
        Name: system('string'),
        Company: required('string'),
        Email: { type: 'email' },
        Status: picklist(['Open', 'Working', 'Qualified', 'Unqualified'], { defaultValue: 'Open', defaultedOnCreate: true }),
      },
    }),
    object({
      name: 'Opportunity',
      keyPrefix: '006',
      fields: {
        Name: required('string', { length: 120 }),
        AccountId: ref(['Account'], 'Account'),
        StageName: required('picklist', { picklistValues: ['Prospecting', 'Proposal', 'Negotiation', 'Closed Won', 'Closed Lost'] }),
        CloseDate: required('date'),
        Amount: { type: 'currency' },
        IsClosed: system('boolean'),
        Approval_Status__c: picklist(APPROVAL),
        Exported__c: { type: 'boolean', defaultValue: false, defaultedOnCreate: true, nillable: false },
      },
    }),
    object({
      name: 'Case',
      keyPrefix: '500',
      nameField: 'CaseNumber',
      autoNumber: autoNumber('CaseNumber', '', 8),
      fields: {
        CaseNumber: system('string', { length: 30 }),
        Subject: { type: 'string' },
        Status: picklist(['New', 'Working', 'Escalated', 'Closed'], { defaultValue: 'New', defaultedOnCreate: true }),
        Priority: picklist(['Low', 'Medium', 'High'], { defaultValue: 'Medium', defaultedOnCreate: true }),
        Origin: picklist(['Phone', 'Email', 'Web', 'FTP']),
        AccountId: ref(['Account'], 'Account'),
        IsClosed: system('boolean'),
        Description: { type: 'textarea' },
      },
    }),
    object({
      name: 'Order',
      keyPrefix: '801',
      nameField: 'OrderNumber',
      autoNumber: autoNumber('OrderNumber', '', 8),
      fields: {
        OrderNumber: system('string', { length: 30 }),
        AccountId: required('reference', { referenceTo: ['Account'], relationshipName: 'Account' }),
        Status: required('picklist', { picklistValues: ['Draft', 'Activated', 'Shipped', 'Cancelled'] }),
        EffectiveDate: required('date'),
        PoNumber: { type: 'string', length: 80 },
        TotalAmount: system('currency'),
        Exported__c: { type: 'boolean', defaultValue: false, defaultedOnCreate: true, nillable: false },
      },
    }),
    object({
      name: 'Product2',
      keyPrefix: '01t',
      label: 'Product',
      fields: {
        Name: required('string'),
        ProductCode: { type: 'string' },
        Family: picklist(['Hardware', 'Software', 'Service', 'Spare Parts']),
        IsActive: { type: 'boolean', defaultValue: true, defaultedOnCreate: true, nillable: false },
        Description: { type: 'textarea' },
      },
    }),
    object({
      name: 'Campaign',
      keyPrefix: '701',
      fields: {
        Name: required('string', { length: 80 }),
        Type: picklist(['Email', 'Trade Show', 'Webinar', 'Print']),
        Status: picklist(['Planned', 'In Progress', 'Completed'], { defaultValue: 'Planned', defaultedOnCreate: true }),
        StartDate: { type: 'date' },
        EndDate: { type: 'date' },
      },
    }),
    object({
      name: 'Quote',
      keyPrefix: '0Q0',
      fields: {
        Name: required('string'),
        QuoteNumber: system('string', { length: 30 }),
        OpportunityId: required('reference', { referenceTo: ['Opportunity'], relationshipName: 'Opportunity' }),
        Status: picklist(['Draft', 'Needs Review', 'Approved', 'Rejected', 'Accepted'], { defaultValue: 'Draft', defaultedOnCreate: true }),
        ExpirationDate: { type: 'date' },
        Approval_Status__c: picklist(APPROVAL),
      },
      autoNumber: autoNumber('QuoteNumber', '', 8),
    }),
    object({
      name: 'ContentDocument',
      keyPrefix: '069',
      nameField: 'Title',
      createable: false,
      fields: {
        Title: { type: 'string', createable: false, updateable: true },
        FileExtension: system('string', { length: 40, nillable: true }),
        FileType: system('string', { length: 20 }),
        ContentSize: system('int'),
        LatestPublishedVersionId: ref(['ContentVersion'], 'LatestPublishedVersion', system('reference')),
        PublishStatus: system('picklist', { picklistValues: ['U', 'P', 'R'] }),
        ContentModifiedDate: system('datetime'),
        Description: { type: 'textarea', createable: false, updateable: true },
      },
    }),
    object({
      name: 'ContentVersion',
      keyPrefix: '068',
      nameField: 'Title',
      blobField: 'VersionData',
      deletable: false,
      fields: {
        Title: { type: 'string' },
        PathOnClient: { type: 'string', length: 500, updateable: false },
        VersionData: { type: 'base64', length: 0, updateable: false },
        ContentDocumentId: ref(['ContentDocument'], 'ContentDocument', { updateable: false }),
        FirstPublishLocationId: ref([...FILE_BEARING_OBJECTS, 'User'], 'FirstPublishLocation', { updateable: false }),
        ReasonForChange: { type: 'string', length: 1000, updateable: false },
        Description: { type: 'textarea', length: 1000 },
        ContentSize: system('int'),
        Checksum: system('string', { length: 50 }),
        FileExtension: system('string', { length: 40, nillable: true }),
        FileType: system('string', { length: 20 }),
        IsLatest: system('boolean'),
        VersionNumber: system('string', { length: 20 }),
        ContentModifiedDate: { type: 'datetime', updateable: false, defaultedOnCreate: true },
        PublishStatus: system('picklist', { picklistValues: ['U', 'P', 'R'] }),
        ContentBodyId: { type: 'reference', referenceTo: [], updateable: false },
      },
    }),
    object({
      name: 'ContentDocumentLink',
      keyPrefix: '06A',
      nameField: 'Id',
      owner: false,
      fields: {
        ContentDocumentId: required('reference', { referenceTo: ['ContentDocument'], relationshipName: 'ContentDocument', updateable: false }),
        LinkedEntityId: required('reference', {
          referenceTo: [...FILE_BEARING_OBJECTS, 'User'],
          relationshipName: 'LinkedEntity',
          updateable: false,
        }),
        ShareType: picklist(['V', 'C', 'I'], { defaultValue: 'V', defaultedOnCreate: true }),
        Visibility: picklist(['AllUsers', 'InternalUsers', 'SharedUsers'], { defaultValue: 'AllUsers', defaultedOnCreate: true }),
      },
    }),
  ];
}

/** S-Drive's file-object fields (§ File Object Fields), with the namespace prefix of the package or none. */
function sdriveFileObject(name: string, keyPrefix: string, parentField: string, parentObject: string, ns: string): SObjectDef {
  const f = (n: string): string => `${ns}${n}`;
  const parentRelationship = parentField.replace(/__c$/, '__r');
  return object({
    name,
    keyPrefix,
    label: name.replace(/^cg__/, '').replace(/__c$/, '').replace(/File$/, ' File'),
    nameField: 'Name',
    fields: {
      Name: { type: 'string', defaultedOnCreate: true },
      [parentField]: required('reference', { referenceTo: parentObject === '' ? [] : [parentObject], relationshipName: parentRelationship }),
      [f('Bucket_Id__c')]: { type: 'string' },
      [f('Checked_Out_By__c')]: { type: 'string' },
      [f('Content_Type__c')]: { type: 'string' },
      [f('Description__c')]: { type: 'string' },
      [f('File_Name__c')]: { type: 'string' },
      [f('File_Size__c')]: { type: 'string', calculated: true, createable: false, updateable: false },
      [f('File_Size_in_Bytes__c')]: { type: 'double' },
      [f('Is_Deleted__c')]: { type: 'boolean', defaultValue: false, defaultedOnCreate: true, nillable: false },
      [f('Is_Latest_Version__c')]: { type: 'boolean', defaultValue: true, defaultedOnCreate: true, nillable: false },
      [f('Is_Parent_Deleted__c')]: { type: 'boolean', defaultValue: false, defaultedOnCreate: true, nillable: false },
      [f('Key__c')]: { type: 'string' },
      [f('Lock_State__c')]: { type: 'multipicklist', picklistValues: ['checkedOut', 'legalHold', 'onlineEditing'] },
      [f('Parent_Folder_Id__c')]: { type: 'string' },
      [f('Private__c')]: { type: 'boolean', defaultValue: false, defaultedOnCreate: true, nillable: false },
      [f('Tags__c')]: { type: 'textarea', length: 4096 },
      [f('Version_Description__c')]: { type: 'string' },
      [f('Version_Id__c')]: { type: 'string' },
      [f('WIP__c')]: { type: 'boolean', defaultValue: true, defaultedOnCreate: true, nillable: false },
    },
  });
}

/** The packaged S-Drive objects plus the custom ones an admin creates for Order, Product, Campaign and Quote. */
function sdriveObjects(): SObjectDef[] {
  return [
    sdriveFileObject('cg__AccountFile__c', 'a03', 'cg__Account__c', 'Account', 'cg__'),
    sdriveFileObject('cg__CaseFile__c', 'a04', 'cg__Case__c', 'Case', 'cg__'),
    sdriveFileObject('cg__ContactFile__c', 'a05', 'cg__Contact__c', 'Contact', 'cg__'),
    sdriveFileObject('cg__OpportunityFile__c', 'a06', 'cg__Opportunity__c', 'Opportunity', 'cg__'),
    sdriveFileObject('cg__LeadFile__c', 'a07', 'cg__Lead__c', 'Lead', 'cg__'),
    sdriveFileObject('OrderFile__c', 'a08', 'Parent__c', 'Order', ''),
    sdriveFileObject('ProductFile__c', 'a09', 'Parent__c', 'Product2', ''),
    sdriveFileObject('CampaignFile__c', 'a0A', 'Parent__c', 'Campaign', ''),
    sdriveFileObject('QuoteFile__c', 'a0B', 'Parent__c', 'Quote', ''),
  ];
}

/** Case-insensitive lookups over the org's objects and fields, as Salesforce resolves names. */
export class Schema {
  readonly #byName = new Map<string, SObjectDef>();
  readonly #byPrefix = new Map<string, SObjectDef>();
  readonly #fields = new Map<string, Map<string, FieldDef>>();

  constructor(objects: ReadonlyArray<SObjectDef>) {
    for (const o of objects) {
      this.#byName.set(o.name.toLowerCase(), o);
      this.#byPrefix.set(o.keyPrefix, o);
      this.#fields.set(o.name, new Map(o.fields.map((f) => [f.name.toLowerCase(), f])));
    }
  }

  objects(): ReadonlyArray<SObjectDef> {
    return [...this.#byName.values()];
  }

  object(name: string): SObjectDef | undefined {
    return this.#byName.get(name.toLowerCase());
  }

  objectOfId(id: string): SObjectDef | undefined {
    return this.#byPrefix.get(id.slice(0, 3));
  }

  field(objectName: string, fieldName: string): FieldDef | undefined {
    const o = this.object(objectName);
    return o === undefined ? undefined : this.#fields.get(o.name)?.get(fieldName.toLowerCase());
  }

  /** The reference field of `objectName` whose relationship is called `relationshipName`. */
  relationship(objectName: string, relationshipName: string): FieldDef | undefined {
    const o = this.object(objectName);
    const wanted = relationshipName.toLowerCase();
    return o?.fields.find((f) => f.relationshipName?.toLowerCase() === wanted);
  }
}

export interface SchemaOptions {
  /** Adds S-Drive's packaged and custom file objects. */
  readonly sdrive: boolean;
}

export function buildSchema(opts: SchemaOptions): Schema {
  return new Schema([...standardObjects(), ...(opts.sdrive ? sdriveObjects() : [])]);
}
