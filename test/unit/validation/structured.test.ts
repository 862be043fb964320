import { mkdir, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ValidationConfig } from '../../../src/validation/config.js';
import { createValidator } from '../../../src/validation/validateFile.js';
import { problems, ruleResult, Staging } from './staging.js';

const orderSchema = {
  type: 'object',
  required: ['orderNumber', 'lines'],
  additionalProperties: false,
  properties: {
    orderNumber: { type: 'string', pattern: '^ORD-\\d+$' },
    placedAt: { type: 'string', format: 'date-time' },
    lines: {
      type: 'array',
      minItems: 1,
      items: { type: 'object', required: ['sku', 'qty'], properties: { sku: { type: 'string' }, qty: { type: 'integer', minimum: 1 } } },
    },
  },
};

describe('json rule', () => {
  let staging: Staging;
  beforeEach(async () => {
    staging = await Staging.create();
  });
  afterEach(async () => {
    await staging.remove();
  });

  const check = async (config: ValidationConfig, content: string, name = 'order.json') => {
    const verdict = await createValidator(config, { baseDir: staging.dir }).validate(await staging.file(name, content));
    return { verdict, json: ruleResult(verdict, 'json') };
  };

  it('passes a document that satisfies the schema', async () => {
    const { verdict, json } = await check({ json: { schema: orderSchema } }, JSON.stringify({ orderNumber: 'ORD-1', placedAt: '2024-01-31T10:00:00Z', lines: [{ sku: 'A', qty: 1 }] }));
    expect(json).toMatchObject({ passed: true, message: 'inbox/order.json is valid against the JSON schema' });
    expect(verdict.rows).toBeUndefined();
  });

  it('reports every schema violation with its instance path', async () => {
    const document = { orderNumber: 'X-1', placedAt: 'yesterday', extra: true, lines: [{ sku: 'A', qty: 0 }, { qty: 2 }] };
    const { json } = await check({ json: { schema: orderSchema } }, JSON.stringify(document));
    expect(json.passed).toBe(false);
    expect(problems(json)).toEqual(
      expect.arrayContaining([
        'inbox/order.json /: must NOT have additional properties ("extra")',
        'inbox/order.json /orderNumber: must match pattern "^ORD-\\d+$"',
        'inbox/order.json /placedAt: must match format "date-time"',
        'inbox/order.json /lines/0/qty: must be >= 1',
        "inbox/order.json /lines/1: must have required property 'sku'",
      ]),
    );
    expect(problems(json)).toHaveLength(5);
  });

  it('fails text that is not JSON', async () => {
    const { json } = await check({ json: { schema: orderSchema } }, '{"orderNumber": "ORD-1",\n "lines": }');
    expect(json.message).toMatch(/^inbox\/order\.json is not valid JSON: /);
  });

  it('reads schemaFile relative to baseDir, once per validator', async () => {
    await mkdir(join(staging.dir, 'schemas'));
    const schemaPath = join(staging.dir, 'schemas', 'order.schema.json');
    await writeFile(schemaPath, JSON.stringify(orderSchema));
    const validator = createValidator({ json: { schemaFile: 'schemas/order.schema.json' } }, { baseDir: staging.dir });
    // Changing the file afterwards shows that the validator keeps what it compiled.
    await writeFile(schemaPath, JSON.stringify({ type: 'string' }));
    const good = await validator.validate(await staging.file('a.json', JSON.stringify({ orderNumber: 'ORD-2', lines: [{ sku: 'B', qty: 3 }] })));
    expect(good.passed).toBe(true);
    const bad = await validator.validate(await staging.file('b.json', JSON.stringify({ orderNumber: 'ORD-2', lines: [] })));
    expect(bad.reason).toBe('inbox/b.json /lines: must NOT have fewer than 1 items');
  });

  it('throws at creation when the schema is missing, broken or misspelt', async () => {
    const make = (json: NonNullable<ValidationConfig['json']>) => () => createValidator({ json }, { baseDir: staging.dir });
    expect(make({ schemaFile: 'nowhere.json' })).toThrow(/Cannot read the JSON schema file "nowhere.json" \(.*nowhere\.json\): ENOENT/);
    await writeFile(join(staging.dir, 'broken.json'), '{ "type": ');
    expect(make({ schemaFile: 'broken.json' })).toThrow(/the JSON schema file "broken.json" .* is not valid JSON/);
    expect(make({ schema: { type: 'object', requird: ['id'] } })).toThrow(/is not a valid JSON Schema: strict mode: unknown keyword: "requird"/);
    expect(make({ schema: { type: 'object' }, schemaFile: 'x.json' })).toThrow(/exactly one of schema and schemaFile/);
    expect(make({})).toThrow(/exactly one of schema and schemaFile/);
  });

  it('accepts a draft-07 schema', async () => {
    const schema = { $schema: 'http://json-schema.org/draft-07/schema#', type: 'object', required: ['id'] };
    expect((await check({ json: { schema } }, '{}')).json.message).toBe("inbox/order.json /: must have required property 'id'");
  });

  it('refuses to parse a file over 200 MB', async () => {
    const file = await staging.file('huge.json', '');
    await truncate(file.localPath, 200 * 1000 * 1000 + 1);
    const verdict = await createValidator({ json: { schema: orderSchema } }, { baseDir: staging.dir }).validate(file);
    expect(verdict.reason).toBe('inbox/huge.json is 200 MB (200000001 bytes), too large to parse as JSON (the limit is 200 MB (200000000 bytes))');
  });
});

describe('xml rule', () => {
  let staging: Staging;
  beforeEach(async () => {
    staging = await Staging.create();
  });
  afterEach(async () => {
    await staging.remove();
  });

  const check = async (xml: NonNullable<ValidationConfig['xml']>, content: string | Uint8Array, name = 'order.xml') =>
    ruleResult(await createValidator({ xml }, { baseDir: staging.dir }).validate(await staging.file(name, content)), 'xml');

  const order = `<?xml version="1.0" encoding="UTF-8"?>
<Order>
  <Header><OrderNumber>ORD-1</OrderNumber><Date/></Header>
  <Line><Sku>A</Sku></Line>
  <Line><Sku>B</Sku><Qty>2</Qty></Line>
</Order>
`;

  it('passes a well-formed document with the required elements, repeated or empty ones included', async () => {
    const result = await check({ requiredElements: ['Order/Header/OrderNumber', 'Order/Header/Date', '/Order/Line/Qty'] }, order);
    expect(result).toMatchObject({ passed: true, message: 'inbox/order.xml is well-formed XML with all required elements' });
  });

  it('reports malformed XML with line and column', async () => {
    const malformed = '<?xml version="1.0"?>\n<Order>\n  <Header>\n    <OrderNumber>1</OrderNumbr>\n  </Header>\n</Order>\n';
    const result = await check({}, malformed);
    expect(result.passed).toBe(false);
    expect(result.message).toMatch(/^inbox\/order\.xml line 4, column \d+: .*OrderNumbr/);
    expect(result.details).toMatchObject({ line: 4 });
  });

  it('names each missing required element', async () => {
    const result = await check({ requiredElements: ['Order/Header/OrderNumber', 'Order/Header/Customer', 'Order/Footer'] }, order);
    expect(problems(result)).toEqual(['inbox/order.xml: the required element Order/Header/Customer is missing', 'inbox/order.xml: the required element Order/Footer is missing']);
  });

  it('says which root element a document has when the path starts elsewhere', async () => {
    const result = await check({ requiredElements: ['Invoice/Number'] }, order);
    expect(result.message).toBe('inbox/order.xml: the required element Invoice/Number is missing (the root element is <Order>)');
  });

  it('finds elements behind namespace prefixes', async () => {
    const prefixed = '<ns:Order xmlns:ns="urn:x"><ns:Header><ns:OrderNumber>1</ns:OrderNumber></ns:Header></ns:Order>';
    expect((await check({ requiredElements: ['Order/Header/OrderNumber'] }, prefixed)).passed).toBe(true);
  });

  it('decodes the encoding its declaration names', async () => {
    const latin1 = Buffer.from('<?xml version="1.0" encoding="ISO-8859-1"?><Kunde><Name>M\xfcller</Name></Kunde>', 'latin1');
    expect((await check({ requiredElements: ['Kunde/Name'] }, latin1)).passed).toBe(true);
    const undeclared = Buffer.from('<Kunde><Name>M\xfcller</Name></Kunde>', 'latin1');
    expect((await check({}, undeclared)).message).toBe('inbox/order.xml is not valid UTF-8 text, and its XML declaration names no other encoding');
  });
});
