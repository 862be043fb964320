import type { FieldDef, FieldType, Schema, SObjectDef } from '../schema.js';
import type { CompareOp, Condition, FieldPath, Literal, SoqlQuery } from './ast.js';
import { SoqlError, positionedError } from './errors.js';
import { fits, kindOf, typeLabel } from './values.js';

/** One step from a record to its parent. */
export interface Hop {
  /** The reference field holding the parent's id. */
  readonly referenceField: string;
  /** The relationship's canonical name: the key of the nested object in results. */
  readonly relationship: string;
}

/**
 * How the last field of a path is read. Past a polymorphic reference the parent is seen through
 * Salesforce's `Name` entity: `Type` is the parent's object name and `Name` the value of its name field.
 */
export type LeafRole = 'value' | 'type' | 'name';

export interface ResolvedField {
  readonly hops: ReadonlyArray<Hop>;
  /** Canonical name of the field read on the last record reached. */
  readonly name: string;
  readonly type: FieldType;
  readonly role: LeafRole;
  /** For ids and references: the objects the value may point to. */
  readonly refersTo: ReadonlyArray<string>;
  readonly pos: number;
}

export type FilterPlan =
  | { readonly kind: 'and' | 'or'; readonly operands: ReadonlyArray<FilterPlan> }
  | { readonly kind: 'not'; readonly operand: FilterPlan }
  | { readonly kind: 'compare'; readonly field: ResolvedField; readonly op: CompareOp; readonly value: Literal }
  | { readonly kind: 'in'; readonly field: ResolvedField; readonly negated: boolean; readonly values: ReadonlyArray<Literal> }
  | {
      readonly kind: 'semiJoin';
      readonly field: ResolvedField;
      readonly negated: boolean;
      readonly plan: Plan;
      /** The one field the subquery selects. */
      readonly selected: ResolvedField;
    };

export interface OrderPlan {
  readonly field: ResolvedField;
  readonly descending: boolean;
  readonly nullsFirst: boolean;
}

/** A query checked against the schema, with every name resolved to its canonical form. */
export interface Plan {
  readonly object: SObjectDef;
  readonly count: boolean;
  readonly fields: ReadonlyArray<ResolvedField>;
  readonly where: FilterPlan | undefined;
  readonly orderBy: ReadonlyArray<OrderPlan>;
  readonly limit: number | undefined;
  readonly offset: number | undefined;
}

/** The fields Salesforce's `Name` entity offers on a polymorphic parent, whatever its actual type. */
const NAME_ENTITY: ReadonlyArray<{ readonly name: string; readonly type: FieldType; readonly role: LeafRole }> = [
  { name: 'Id', type: 'id', role: 'value' },
  { name: 'Name', type: 'string', role: 'name' },
  { name: 'Type', type: 'picklist', role: 'type' },
  { name: 'Alias', type: 'string', role: 'value' },
  { name: 'Email', type: 'email', role: 'value' },
  { name: 'FirstName', type: 'string', role: 'value' },
  { name: 'LastName', type: 'string', role: 'value' },
  { name: 'IsActive', type: 'boolean', role: 'value' },
  { name: 'Phone', type: 'phone', role: 'value' },
  { name: 'Title', type: 'string', role: 'value' },
  { name: 'Username', type: 'string', role: 'value' },
];

const CDL = 'ContentDocumentLink';
const CDL_ID_FIELDS = new Set(['Id', 'ContentDocumentId', 'LinkedEntityId']);
export const CDL_RESTRICTION =
  "Implementation restriction: ContentDocumentLink requires a filter by a single Id on ContentDocumentId or LinkedEntityId using the equals operator or multiple Id's using the IN operator.";

const noSuchColumn = (field: string, entity: string): string =>
  `No such column '${field}' on entity '${entity}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`;
const badRelationship = (name: string): string =>
  `Didn't understand relationship '${name}' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.`;
const unknownObject = (name: string): string =>
  `sObject type '${name}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`;

/** Where in the WHERE clause a condition sits: semi-joins are refused under OR and inside each other. */
interface Scope {
  readonly underOr: boolean;
  readonly inSemiJoin: boolean;
}

class Resolver {
  readonly #schema: Schema;
  readonly #text: string;

  constructor(schema: Schema, text: string) {
    this.#schema = schema;
    this.#text = text;
  }

  plan(query: SoqlQuery, inSemiJoin: boolean): Plan {
    const object = this.#schema.object(query.from.name);
    if (object === undefined) throw positionedError('INVALID_TYPE', this.#text, query.from.pos, unknownObject(query.from.name));
    const fields = query.fields.map((f) => this.#field(object, f));
    const seen = new Set<string>();
    for (const f of fields) {
      const key = [...f.hops.map((h) => h.relationship), f.name].join('.');
      if (seen.has(key)) throw positionedError('INVALID_FIELD', this.#text, f.pos, `duplicate field selected: ${f.name}`);
      seen.add(key);
    }
    const where = query.where === undefined ? undefined : this.#condition(object, query.where, { underOr: false, inSemiJoin });
    const orderBy = query.orderBy.map((o) => {
      const field = this.#field(object, o.field);
      if (field.type === 'base64') throw this.#fieldError(field, `field '${field.name}' can not be sorted in a query call`);
      return { field, descending: o.descending, nullsFirst: o.nullsFirst };
    });
    if (object.name === CDL && !hasIdFilter(where)) throw new SoqlError('MALFORMED_QUERY', CDL_RESTRICTION);
    return { object, count: query.count, fields, where, orderBy, limit: query.limit, offset: query.offset };
  }

  #fieldError(field: ResolvedField, reason: string): SoqlError {
    return positionedError('INVALID_FIELD', this.#text, field.pos, reason);
  }

  #field(object: SObjectDef, path: FieldPath): ResolvedField {
    const hops: Hop[] = [];
    let owner: SObjectDef | undefined = object;
    let refersTo: ReadonlyArray<string> = [object.name];
    const relationships = path.segments.slice(0, -1);
    const leaf = path.segments[path.segments.length - 1] ?? '';
    for (const name of relationships) {
      const reference: FieldDef | undefined = owner === undefined ? undefined : this.#schema.relationship(owner.name, name);
      const targets: ReadonlyArray<string> = reference?.referenceTo ?? [];
      const single: SObjectDef | undefined = targets.length === 1 ? this.#schema.object(targets[0] ?? '') : undefined;
      if (reference === undefined || targets.length === 0 || (targets.length === 1 && single === undefined)) {
        throw positionedError('INVALID_FIELD', this.#text, path.pos, badRelationship(name));
      }
      hops.push({ referenceField: reference.name, relationship: reference.relationshipName ?? name });
      owner = single;
      refersTo = targets;
    }
    if (owner === undefined) {
      const entry = NAME_ENTITY.find((f) => f.name.toLowerCase() === leaf.toLowerCase());
      if (entry === undefined) throw positionedError('INVALID_FIELD', this.#text, path.pos, noSuchColumn(leaf, 'Name'));
      return { hops, name: entry.name, type: entry.type, role: entry.role, refersTo: entry.type === 'id' ? refersTo : [], pos: path.pos };
    }
    const def = this.#schema.field(owner.name, leaf);
    if (def === undefined) throw positionedError('INVALID_FIELD', this.#text, path.pos, noSuchColumn(leaf, owner.name));
    const targets = def.type === 'id' ? [owner.name] : def.referenceTo;
    return { hops, name: def.name, type: def.type, role: 'value', refersTo: targets, pos: path.pos };
  }

  #filterable(object: SObjectDef, path: FieldPath): ResolvedField {
    const field = this.#field(object, path);
    if (field.type === 'base64') throw this.#fieldError(field, `field '${field.name}' can not be filtered in a query call`);
    return field;
  }

  #checkValue(field: ResolvedField, value: Literal): void {
    if (fits(kindOf(field.type), value)) return;
    const quoted = kindOf(field.type) === 'id' || kindOf(field.type) === 'text';
    const reason = `value of filter criterion for field '${field.name}' must be of type ${typeLabel(field.type)} and should ${quoted ? '' : 'not '}be enclosed in quotes`;
    throw positionedError('INVALID_FIELD', this.#text, value.pos, reason);
  }

  #condition(object: SObjectDef, condition: Condition, scope: Scope): FilterPlan {
    switch (condition.kind) {
      case 'and':
      case 'or': {
        const inner = condition.kind === 'or' ? { ...scope, underOr: true } : scope;
        return { kind: condition.kind, operands: condition.operands.map((c) => this.#condition(object, c, inner)) };
      }
      case 'not':
        return { kind: 'not', operand: this.#condition(object, condition.operand, scope) };
      case 'compare': {
        const field = this.#filterable(object, condition.field);
        this.#checkValue(field, condition.value);
        return { kind: 'compare', field, op: condition.op, value: condition.value };
      }
      case 'in': {
        const field = this.#filterable(object, condition.field);
        for (const v of condition.values) this.#checkValue(field, v);
        return { kind: 'in', field, negated: condition.negated, values: condition.values };
      }
      case 'semiJoin':
        return this.#semiJoin(object, condition, scope);
    }
  }

  #semiJoin(object: SObjectDef, condition: Extract<Condition, { kind: 'semiJoin' }>, scope: Scope): FilterPlan {
    const field = this.#filterable(object, condition.field);
    if (scope.inSemiJoin) throw positionedError('MALFORMED_QUERY', this.#text, field.pos, 'Nesting of semi join sub-selects is not supported');
    if (scope.underOr) throw positionedError('MALFORMED_QUERY', this.#text, field.pos, "Semi join sub-selects are not allowed with the 'OR' operator");
    const plan = this.plan(condition.query, true);
    const selected = plan.fields[0];
    if (plan.count || selected === undefined || plan.fields.length > 1) {
      throw positionedError('MALFORMED_QUERY', this.#text, condition.query.from.pos, 'Semi join sub-selects can select exactly one field');
    }
    const overlap = selected.refersTo.some((t) => field.refersTo.includes(t));
    if (kindOf(field.type) !== 'id' || kindOf(selected.type) !== 'id' || !overlap) {
      throw positionedError(
        'INVALID_FIELD',
        this.#text,
        selected.pos,
        `The selected field '${selected.name}' in the subquery and the left operand field in the where expression in the outer query '${field.name}' should point to the same object type`,
      );
    }
    return { kind: 'semiJoin', field, negated: condition.negated, plan, selected };
  }
}

/**
 * A ContentDocumentLink query needs, as a top-level AND term, `Id`, `ContentDocumentId` or
 * `LinkedEntityId` compared with `=` to an id or with IN to a list or a semi-join.
 */
function hasIdFilter(where: FilterPlan | undefined): boolean {
  const terms = (f: FilterPlan): ReadonlyArray<FilterPlan> => (f.kind === 'and' ? f.operands.flatMap(terms) : [f]);
  return (where === undefined ? [] : terms(where)).some((t) => {
    if (t.kind !== 'compare' && t.kind !== 'in' && t.kind !== 'semiJoin') return false;
    if (t.field.hops.length > 0 || !CDL_ID_FIELDS.has(t.field.name)) return false;
    return t.kind === 'compare' ? t.op === '=' && t.value.kind === 'string' : !t.negated;
  });
}

/** Checks a parsed query against the schema; throws INVALID_TYPE, INVALID_FIELD or MALFORMED_QUERY. */
export function planQuery(query: SoqlQuery, schema: Schema): Plan {
  return new Resolver(schema, query.text).plan(query, false);
}
