import type { CompareOp, Condition, FieldPath, Literal, OrderItem, SoqlQuery } from './ast.js';
import { unexpectedToken, unsupported } from './errors.js';
import { type Token, tokenize } from './lexer.js';

const COMPARE_OPS: Readonly<Record<string, CompareOp>> = { '=': '=', '!=': '!=', '<>': '!=', '<': '<', '>': '>', '<=': '<=', '>=': '>=' };
const AGGREGATES = new Set(['COUNT', 'COUNT_DISTINCT', 'SUM', 'AVG', 'MIN', 'MAX']);

/** Recursive descent over the token list; every method leaves the cursor after what it read. */
class Parser {
  readonly #text: string;
  readonly #tokens: ReadonlyArray<Token>;
  readonly #eof: Token;
  #at = 0;

  constructor(text: string) {
    this.#text = text;
    this.#tokens = tokenize(text);
    this.#eof = { kind: 'eof', pos: text.length, text: '<EOF>' };
  }

  parse(): SoqlQuery {
    const query = this.#query();
    const rest = this.#peek();
    if (rest.kind !== 'eof') this.#fail(rest);
    return query;
  }

  #peek(ahead = 0): Token {
    return this.#tokens[this.#at + ahead] ?? this.#eof;
  }

  #next(): Token {
    const token = this.#peek();
    if (token.kind !== 'eof') this.#at++;
    return token;
  }

  #fail(token: Token): never {
    throw unexpectedToken(this.#text, token.pos, token.text);
  }

  #isWord(token: Token, keyword: string): boolean {
    return token.kind === 'word' && token.text.toUpperCase() === keyword;
  }

  #isSymbol(token: Token, symbol: string): boolean {
    return token.kind === 'symbol' && token.text === symbol;
  }

  #acceptWord(keyword: string): boolean {
    if (!this.#isWord(this.#peek(), keyword)) return false;
    this.#at++;
    return true;
  }

  #acceptSymbol(symbol: string): boolean {
    if (!this.#isSymbol(this.#peek(), symbol)) return false;
    this.#at++;
    return true;
  }

  #expectWord(keyword: string): void {
    const token = this.#next();
    if (!this.#isWord(token, keyword)) this.#fail(token);
  }

  #expectSymbol(symbol: string): void {
    const token = this.#next();
    if (!this.#isSymbol(token, symbol)) this.#fail(token);
  }

  #path(token: Token): FieldPath {
    if (token.kind !== 'word') this.#fail(token);
    return { segments: token.text.split('.'), pos: token.pos };
  }

  #query(): SoqlQuery {
    this.#expectWord('SELECT');
    const { count, fields } = this.#selectList();
    this.#expectWord('FROM');
    const object = this.#next();
    if (object.kind !== 'word' || object.text.includes('.')) this.#fail(object);
    const where = this.#acceptWord('WHERE') ? this.#or() : undefined;
    const grouping = this.#peek();
    if (this.#isWord(grouping, 'GROUP')) throw unsupported(this.#text, grouping.pos, 'GROUP BY');
    if (this.#isWord(grouping, 'HAVING')) throw unsupported(this.#text, grouping.pos, 'HAVING');
    const orderBy = this.#orderBy();
    const limit = this.#acceptWord('LIMIT') ? this.#count() : undefined;
    const offset = this.#acceptWord('OFFSET') ? this.#count() : undefined;
    return { text: this.#text, count, fields, from: { name: object.text, pos: object.pos }, where, orderBy, limit, offset };
  }

  #selectList(): { count: boolean; fields: FieldPath[] } {
    const first = this.#peek();
    if (this.#isWord(first, 'COUNT') && this.#isSymbol(this.#peek(1), '(') && this.#isSymbol(this.#peek(2), ')')) {
      this.#at += 3;
      return { count: true, fields: [] };
    }
    const fields: FieldPath[] = [];
    do {
      const token = this.#peek();
      if (this.#isSymbol(token, '(')) throw unsupported(this.#text, token.pos, 'A child relationship subquery');
      if (this.#isWord(token, 'TYPEOF')) throw unsupported(this.#text, token.pos, 'TYPEOF');
      if (token.kind === 'word' && this.#isSymbol(this.#peek(1), '(')) {
        const name = token.text.toUpperCase();
        throw unsupported(this.#text, token.pos, AGGREGATES.has(name) ? `The aggregate function ${name}() with arguments` : `The function ${token.text}()`);
      }
      if (this.#isWord(token, 'FROM')) this.#fail(token);
      fields.push(this.#path(this.#next()));
    } while (this.#acceptSymbol(','));
    return { count: false, fields };
  }

  #orderBy(): OrderItem[] {
    if (!this.#isWord(this.#peek(), 'ORDER')) return [];
    this.#at++;
    this.#expectWord('BY');
    const items: OrderItem[] = [];
    do {
      const field = this.#path(this.#next());
      let descending = false;
      if (this.#acceptWord('DESC')) descending = true;
      else this.#acceptWord('ASC');
      let nullsFirst = !descending;
      if (this.#acceptWord('NULLS')) {
        if (this.#acceptWord('FIRST')) nullsFirst = true;
        else {
          this.#expectWord('LAST');
          nullsFirst = false;
        }
      }
      items.push({ field, descending, nullsFirst });
    } while (this.#acceptSymbol(','));
    return items;
  }

  /** A non-negative integer as written after LIMIT, OFFSET or LAST_N_DAYS:. */
  #count(): number {
    const token = this.#next();
    if (token.kind !== 'number' || !/^\d+$/.test(token.text) || !Number.isSafeInteger(token.value)) this.#fail(token);
    return token.value;
  }

  /** SOQL has no precedence between AND and OR: mixing them at one level needs parentheses. */
  #or(): Condition {
    const first = this.#unary();
    const joiner = this.#peek();
    const kind = this.#isWord(joiner, 'AND') ? 'and' : this.#isWord(joiner, 'OR') ? 'or' : undefined;
    if (kind === undefined) return first;
    const operands = [first];
    while (this.#acceptWord(kind.toUpperCase())) operands.push(this.#unary());
    const other = this.#peek();
    if (this.#isWord(other, kind === 'and' ? 'OR' : 'AND')) this.#fail(other);
    return { kind, operands };
  }

  #unary(): Condition {
    if (this.#acceptWord('NOT')) return { kind: 'not', operand: this.#unary() };
    if (this.#acceptSymbol('(')) {
      const inner = this.#or();
      this.#expectSymbol(')');
      return inner;
    }
    return this.#simple();
  }

  #simple(): Condition {
    const field = this.#path(this.#next());
    const token = this.#peek();
    if (this.#isWord(token, 'NOT') && this.#isWord(this.#peek(1), 'IN')) {
      this.#at += 2;
      return this.#in(field, true);
    }
    if (this.#acceptWord('IN')) return this.#in(field, false);
    if (this.#acceptWord('LIKE')) return { kind: 'compare', field, op: 'LIKE', value: this.#literal() };
    if (this.#isWord(token, 'INCLUDES') || this.#isWord(token, 'EXCLUDES')) throw unsupported(this.#text, token.pos, token.text.toUpperCase());
    const op = token.kind === 'symbol' ? COMPARE_OPS[token.text] : undefined;
    if (op === undefined) this.#fail(token);
    this.#at++;
    return { kind: 'compare', field, op, value: this.#literal() };
  }

  #in(field: FieldPath, negated: boolean): Condition {
    this.#expectSymbol('(');
    if (this.#isWord(this.#peek(), 'SELECT')) {
      const query = this.#query();
      this.#expectSymbol(')');
      return { kind: 'semiJoin', field, negated, query };
    }
    const values = [this.#literal()];
    while (this.#acceptSymbol(',')) values.push(this.#literal());
    this.#expectSymbol(')');
    return { kind: 'in', field, negated, values };
  }

  #literal(): Literal {
    const token = this.#next();
    const pos = token.pos;
    switch (token.kind) {
      case 'string':
        return { kind: 'string', value: token.value, likeSource: token.likeSource, pos };
      case 'number':
        return { kind: 'number', value: token.value, pos };
      case 'date':
        return { kind: 'date', ms: token.ms, pos };
      case 'datetime':
        return { kind: 'datetime', ms: token.ms, pos };
      case 'word':
        switch (token.text.toUpperCase()) {
          case 'NULL':
            return { kind: 'null', pos };
          case 'TRUE':
            return { kind: 'boolean', value: true, pos };
          case 'FALSE':
            return { kind: 'boolean', value: false, pos };
          case 'TODAY':
            return { kind: 'relativeDate', name: 'TODAY', n: 0, pos };
          case 'YESTERDAY':
            return { kind: 'relativeDate', name: 'YESTERDAY', n: 0, pos };
          case 'LAST_N_DAYS':
            this.#expectSymbol(':');
            return { kind: 'relativeDate', name: 'LAST_N_DAYS', n: this.#count(), pos };
        }
        return this.#fail(token);
      default:
        return this.#fail(token);
    }
  }
}

/** Parses a query's syntax; names are checked against the schema only when it runs. */
export function parseSoql(text: string): SoqlQuery {
  return new Parser(text).parse();
}
