import { deriveFields } from '../api/values.js';
import type { SandboxContext } from '../context.js';
import { FOLDER_CONTENT_TYPE, type FileObject, fileObjectNamed, objectKey } from '../sdrive/fileObjects.js';
import { putS3Object } from '../sdrive/objects.js';
import { BUCKET_NAME } from '../sdrive/s3.js';
import { DEMO_PRODUCTS, DEMO_SDRIVE } from './demoData.js';

function csvCell(text: string): string {
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The sample file's bytes: the demo products with list prices. */
export function demoPriceList(): Buffer {
  const rows = DEMO_PRODUCTS.map((p, i) => [p.code, csvCell(p.name), p.family, (120 + i * 37.5).toFixed(2)].join(','));
  return Buffer.from(['ProductCode,Name,Family,UnitPrice', ...rows, ''].join('\n'), 'utf8');
}

function insertFileRecord(ctx: SandboxContext, fileObject: FileObject, accountId: string, values: Record<string, unknown>): string {
  const record = ctx.store.insert(fileObject.def, { [fileObject.parentField]: accountId, ...values }, ctx.defaultUser.id);
  deriveFields(fileObject.def, record);
  return record.Id;
}

/** Two folders and one finished file on `accountId`, so that browsing its S-Drive shows something. */
export async function seedSDriveSample(ctx: SandboxContext, accountId: string): Promise<void> {
  const fileObject = fileObjectNamed(ctx.store.schema, 'cg__AccountFile__c');
  if (fileObject === undefined) throw new Error('The sandbox schema lacks cg__AccountFile__c');
  for (const folder of DEMO_SDRIVE.folders) {
    insertFileRecord(ctx, fileObject, accountId, {
      Name: folder,
      ...fileObject.values({ WIP__c: false, File_Name__c: folder, Content_Type__c: FOLDER_CONTENT_TYPE }),
    });
  }
  const { name, contentType } = DEMO_SDRIVE.file;
  const blob = await ctx.store.putBlobBytes(demoPriceList());
  const id = insertFileRecord(ctx, fileObject, accountId, {
    Name: name,
    ...fileObject.values({
      WIP__c: false,
      File_Name__c: name,
      Content_Type__c: contentType,
      Description__c: 'List prices for 2026',
      File_Size_in_Bytes__c: blob.size,
      Bucket_Id__c: BUCKET_NAME,
    }),
  });
  const key = objectKey(accountId, id, name);
  const object = await putS3Object(ctx.store, key, blob, { contentType });
  ctx.store.update(id, fileObject.values({ Key__c: key, Version_Id__c: object.versionId }), ctx.defaultUser.id);
}
