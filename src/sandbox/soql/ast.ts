/** The syntax tree of a parsed query. Offsets point into `SoqlQuery.text`, for positioned errors. */

export interface FieldPath {
  /** The path's segments as written: relationship names, then a field name. */
  readonly segments: ReadonlyArray<string>;
  readonly pos: number;
}

export type Literal =
  | { readonly kind: 'null'; readonly pos: number }
  | { readonly kind: 'boolean'; readonly value: boolean; readonly pos: number }
  | { readonly kind: 'number'; readonly value: number; readonly pos: number }
  | { readonly kind: 'string'; readonly value: string; readonly likeSource: string; readonly pos: number }
  /** A calendar day, as the UTC midnight that starts it. */
  | { readonly kind: 'date'; readonly ms: number; readonly pos: number }
  | { readonly kind: 'datetime'; readonly ms: number; readonly pos: number }
  /** `TODAY`, `YESTERDAY`, `LAST_N_DAYS:n`: resolved against the clock when the query runs. */
  | { readonly kind: 'relativeDate'; readonly name: RelativeDateName; readonly n: number; readonly pos: number };

export type RelativeDateName = 'TODAY' | 'YESTERDAY' | 'LAST_N_DAYS';

export type CompareOp = '=' | '!=' | '<' | '>' | '<=' | '>=' | 'LIKE';

export type Condition =
  | { readonly kind: 'and' | 'or'; readonly operands: ReadonlyArray<Condition> }
  | { readonly kind: 'not'; readonly operand: Condition }
  | { readonly kind: 'compare'; readonly field: FieldPath; readonly op: CompareOp; readonly value: Literal }
  | { readonly kind: 'in'; readonly field: FieldPath; readonly negated: boolean; readonly values: ReadonlyArray<Literal> }
  | { readonly kind: 'semiJoin'; readonly field: FieldPath; readonly negated: boolean; readonly query: SoqlQuery };

export interface OrderItem {
  readonly field: FieldPath;
  readonly descending: boolean;
  readonly nullsFirst: boolean;
}

export interface SoqlQuery {
  /** The whole query text, shared by nested semi-join queries. */
  readonly text: string;
  /** `COUNT()` instead of a field list. */
  readonly count: boolean;
  readonly fields: ReadonlyArray<FieldPath>;
  readonly from: { readonly name: string; readonly pos: number };
  readonly where: Condition | undefined;
  readonly orderBy: ReadonlyArray<OrderItem>;
  readonly limit: number | undefined;
  readonly offset: number | undefined;
}
