/**
 * A fast reader for the plain YAML that requirements and pattern files are written in: block
 * mappings and lists, one-line flow collections, plain and quoted scalars, and `|`/`>` block text.
 * It returns exactly the data the yaml package would (YAML 1.2 core schema), or `undefined` for
 * anything it is not sure of: anchors, tags, multi-line plain or quoted scalars, odd indentation,
 * duplicate or reserved keys, syntax errors. The caller then reads the file with the yaml package,
 * which reports every problem with its line.
 *
 * Why: the yaml package builds a full syntax tree and document model, about 3 MB/s, and a folder of
 * a thousand patterns is 13 MB. This reader is line based and many times faster. (The yaml
 * package is still loaded with src/data-file.ts, which needs it synchronously for the rest.)
 * test/quick-yaml.test.ts holds it to the yaml package on every file in the repository, on
 * generated documents and on damaged copies of real files.
 */
export function quickParseYaml(text: string): Record<string, unknown> | undefined {
  if (UNSURE_TEXT.test(text)) return undefined;
  try {
    return new Reader(text).document();
  } catch (error) {
    if (error === UNSURE) return undefined;
    throw error;
  }
}

/** Characters this reader leaves to the yaml package: tabs, carriage returns, control and special line characters, byte order marks. */
const UNSURE_TEXT = /[\t\r\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufeff]/;
/** A directive or a document marker, tested on lines starting with `%`, `-` or `.`. */
const MARKER = /^(?:%|---(?: |$)|\.\.\.(?: |$))/;

/** Thrown (and caught in quickParseYaml) where the reader is not sure: the yaml package decides. */
const UNSURE = Symbol("unsure");
function unsure(): never {
  throw UNSURE;
}

/** Deeper than this is left to the yaml package, which reports too-deep nesting with its line. */
const MAX_QUICK_DEPTH = 16;

/**
 * Keys are plain words that the core schema reads as strings: a letter, `_` or `$`, then letters,
 * digits and `_ $ . / -`. A table of character codes (1: may start a key, 2: may follow) is faster
 * than a regular expression on every line.
 */
const KEY_CHAR = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const char = String.fromCharCode(c);
  if (/[A-Za-z_$]/.test(char)) KEY_CHAR[c] = 1;
  else if (/[0-9./-]/.test(char)) KEY_CHAR[c] = 2;
}

/**
 * Where the `:` after a key starting at `at` is, or -1 when there is no such key: the colon must be
 * followed by a space, or (in block context, `flow` false) end the line, which ends at `to`.
 */
function keyColon(s: string, at: number, to: number, flow: boolean): number {
  if (KEY_CHAR[s.charCodeAt(at)] !== 1) return -1;
  let k = at + 1;
  while (KEY_CHAR[s.charCodeAt(k)]! > 0) k++;
  if (k >= to || s.charCodeAt(k) !== 58) return -1;
  return (k + 1 < to && s.charCodeAt(k + 1) === 32) || (!flow && k + 1 === to) ? k : -1;
}
/** Keys that are not strings in the core schema, or not safe as object keys. */
const RESERVED_KEYS = new Set(["null", "Null", "NULL", "true", "True", "TRUE", "false", "False", "FALSE", "__proto__"]);
/** First characters of a plain scalar that mean something else, or that this reader leaves alone. */
const INDICATORS = new Uint8Array(128);
for (const c of "&*!%@`,[]{}#|>'\"") INDICATORS[c.charCodeAt(0)] = 1;
const BLOCK_SCALAR_HEADER = /^([|>])(-?)(?: *| +#.*)$/;

/**
 * Reads the text line by line without copying lines: for each line the index where its content
 * starts (after the indentation), where it ends (its newline or the end of the text), and its
 * indentation. Values are cut from the text only once they are known.
 */
class Reader {
  private readonly start: number[] = [];
  private readonly end: number[] = [];
  private readonly indent: number[] = [];
  private readonly count: number;
  private i = 0;
  private comment = -2;
  private colon = -2;

  constructor(private readonly s: string) {
    for (let from = 0; from < s.length; ) {
      let to = s.indexOf("\n", from);
      if (to === -1) to = s.length;
      let k = from;
      while (s.charCodeAt(k) === 32) k++;
      if (k === from) {
        const c = s.charCodeAt(k);
        if ((c === 37 || c === 45 || c === 46) && MARKER.test(s.slice(from, to))) unsure();
      }
      this.start.push(k);
      this.end.push(to);
      this.indent.push(k - from);
      from = to + 1;
    }
    this.count = this.start.length;
  }

  document(): Record<string, unknown> {
    this.skipBlank();
    if (this.i >= this.count || this.indent[this.i] !== 0 || this.isListItem(this.i)) unsure();
    const data = this.mapping(0, 1);
    this.skipBlank();
    if (this.i < this.count) unsure();
    return data;
  }

  /** Past empty and comment lines. */
  private skipBlank(): void {
    while (this.i < this.count && (this.start[this.i] === this.end[this.i] || this.s.charCodeAt(this.start[this.i]!) === 35)) this.i++;
  }

  /** Where the next ` #` is at or after `from` (-1: nowhere), remembered so the text is searched once. */
  private nextComment(from: number): number {
    if (this.comment === -1 || this.comment >= from) return this.comment;
    return (this.comment = this.s.indexOf(" #", from));
  }

  /** The same for `: `. */
  private nextColon(from: number): number {
    if (this.colon === -1 || this.colon >= from) return this.colon;
    return (this.colon = this.s.indexOf(": ", from));
  }

  /** `- ` or a lone `-` starting line n's content. */
  private isListItem(n: number): boolean {
    return isListItemAt(this.s, this.start[n]!, this.end[n]!);
  }

  /** A mapping or list starting at the current line, whose indentation is `at`. */
  private block(at: number, depth: number): unknown {
    if (depth > MAX_QUICK_DEPTH) unsure();
    return this.isListItem(this.i) ? this.list(at, depth) : this.mapping(at, depth);
  }

  private mapping(at: number, depth: number): Record<string, unknown> {
    const s = this.s;
    const map: Record<string, unknown> = {};
    for (;;) {
      this.skipBlank();
      if (this.i >= this.count || this.indent[this.i]! < at) return map;
      if (this.indent[this.i]! > at) unsure();
      const from = this.start[this.i]!;
      const to = this.end[this.i]!;
      const colon = keyColon(s, from, to, false);
      if (colon === -1) unsure();
      const name = s.slice(from, colon);
      if (RESERVED_KEYS.has(name) || Object.hasOwn(map, name)) unsure();
      this.i++;
      map[name] = this.value(skipSpaces(s, colon + 1), to, at, depth, true);
    }
  }

  private list(at: number, depth: number): unknown[] {
    const s = this.s;
    const list: unknown[] = [];
    for (;;) {
      this.skipBlank();
      if (this.i >= this.count || this.indent[this.i]! < at) return list;
      if (this.indent[this.i]! > at) unsure();
      if (!this.isListItem(this.i)) return list;
      const dash = this.start[this.i]!;
      const to = this.end[this.i]!;
      const content = skipSpaces(s, dash + 1);
      if (content < to && s.charCodeAt(content) !== 35 && (isListItemAt(s, content, to) || keyColon(s, content, to, false) !== -1)) {
        // `- key: value` or `- - item`: a compact mapping or list, indented to where it starts
        this.indent[this.i] = at + (content - dash);
        this.start[this.i] = content;
        list.push(this.block(this.indent[this.i]!, depth + 1));
      } else {
        this.i++;
        list.push(this.value(content, to, at, depth, false));
      }
    }
  }

  /**
   * The value from `from` to the line's end `to` after `key:` or `- ` (the line already consumed);
   * `at` is the indentation of the mapping or list holding it. A mapping's value may be a list at
   * the same indentation (`sameIndentList`).
   */
  private value(from: number, to: number, at: number, depth: number, sameIndentList: boolean): unknown {
    const s = this.s;
    const first = from < to ? s.charCodeAt(from) : 35;
    switch (first) {
      case 35: /* # or nothing: the value is on the lines below */ {
        this.skipBlank();
        if (this.i < this.count) {
          const next = this.indent[this.i]!;
          if (next > at || (sameIndentList && next === at && this.isListItem(this.i))) return this.block(next, depth + 1);
        }
        return null;
      }
      case 34: /* " */ {
        const text = doubleQuoted(s, from, to);
        endOfLine(s, end, to);
        return text;
      }
      case 39: /* ' */ {
        const text = singleQuoted(s, from, to);
        endOfLine(s, end, to);
        return text;
      }
      case 91: /* [ */
      case 123: /* { */ {
        const data = flow(s, from, to, depth + 1);
        endOfLine(s, end, to);
        return data;
      }
      case 124: /* | */
      case 62: /* > */
        return this.blockScalar(s.slice(from, to), at);
    }
    const comment = this.nextComment(from);
    let stop = comment !== -1 && comment < to ? comment : to;
    while (stop > from && s.charCodeAt(stop - 1) === 32) stop--;
    const colon = this.nextColon(from);
    if (colon !== -1 && colon < stop) unsure(); // `a: b: c` is not a plain scalar
    const plain = s.slice(from, stop);
    checkPlain(plain);
    return resolvePlain(plain);
  }

  /** `|` or `>` text (clipped or stripped, indentation found from the first line). */
  private blockScalar(header: string, at: number): string {
    const parsed = BLOCK_SCALAR_HEADER.exec(header);
    if (parsed === null) unsure();
    const literal = parsed[1] === "|";
    const n = this.count;
    if (this.i >= n || this.start[this.i] === this.end[this.i]) unsure(); // empty, or leading blank lines
    const width = this.indent[this.i]!;
    if (width <= at) unsure();
    const parts: string[] = [];
    let blanks = 0;
    for (; this.i < n; this.i++) {
      if (this.start[this.i] === this.end[this.i]) {
        if (this.indent[this.i]! > width) unsure(); // a line of spaces only, longer than the indentation, is text
        blanks++;
        continue;
      }
      if (this.indent[this.i]! < width) break;
      if (blanks > 0) {
        if (!literal) unsure();
        for (; blanks > 0; blanks--) parts.push("");
      }
      if (!literal && this.indent[this.i]! > width) unsure(); // more-indented lines fold differently
      parts.push(this.s.slice(this.start[this.i]! - this.indent[this.i]! + width, this.end[this.i]));
    }
    if (this.i >= n && blanks === 0 && !this.s.endsWith("\n")) unsure(); // no final line break to clip
    const text = parts.join(literal ? "\n" : " ");
    return parsed[2] === "-" ? text : `${text}\n`;
  }
}

function isListItemAt(s: string, at: number, to: number): boolean {
  return s.charCodeAt(at) === 45 /* - */ && (at + 1 === to || s.charCodeAt(at + 1) === 32);
}

/** After a quoted or flow value (ending at `at`) only spaces and a comment may follow on the line. */
function endOfLine(s: string, at: number, to: number): void {
  if (at === to) return;
  if (s.charCodeAt(at) !== 32) unsure();
  at = skipSpaces(s, at);
  if (at < to && s.charCodeAt(at) !== 35) unsure();
}

/** A plain scalar this reader is sure of: not empty, no `: ` or trailing `:`, no special first character. */
function checkPlain(plain: string): void {
  if (plain === "" || INDICATORS[plain.charCodeAt(0)] === 1 || plain.includes(": ") || plain.endsWith(":")) unsure();
  const c = plain[0];
  if ((c === "-" || c === "?" || c === ":") && (plain.length === 1 || plain[1] === " ")) unsure();
}

/** What the YAML 1.2 core schema makes of a plain scalar, tested in the yaml package's order. */
export function resolvePlain(s: string): unknown {
  if (/^(?:~|[Nn]ull|NULL)?$/.test(s)) return null;
  if (/^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/.test(s)) return s[0] === "t" || s[0] === "T";
  const c = s.charCodeAt(0);
  // every other core type starts with a digit, a sign or a dot
  if (!((c >= 48 && c <= 57) || c === 43 || c === 45 || c === 46)) return s;
  if (/^0o[0-7]+$/.test(s)) return parseInt(s.substring(2), 8);
  if (/^[-+]?[0-9]+$/.test(s)) return parseInt(s, 10);
  if (/^0x[0-9a-fA-F]+$/.test(s)) return parseInt(s.substring(2), 16);
  if (/^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/.test(s)) return s.slice(-3).toLowerCase() === "nan" ? NaN : s[0] === "-" ? -Infinity : Infinity;
  if (/^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/.test(s)) return parseFloat(s);
  if (/^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/.test(s)) return parseFloat(s);
  return s;
}

const ESCAPES: Record<string, string> = { '"': '"', "\\": "\\", "/": "/", n: "\n", t: "\t" };

/** Where the last scalar or flow collection read from a line ended (the index after it). */
let end = 0;

/** A double-quoted scalar closed before the line's end `to`, with the common escapes; sets `end`. */
function doubleQuoted(s: string, start: number, to: number): string {
  let text = "";
  let from = start + 1;
  for (let k = from; ; k++) {
    if (k >= to) unsure();
    const c = s.charCodeAt(k);
    if (c === 34) {
      end = k + 1;
      return text + s.slice(from, k);
    }
    if (c !== 92) continue;
    text += s.slice(from, k);
    const code = s[k + 1];
    if (code === "u") {
      const hex = s.slice(k + 2, k + 6);
      if (k + 6 > to || !/^[0-9a-fA-F]{4}$/.test(hex)) unsure();
      text += String.fromCharCode(parseInt(hex, 16));
      k += 5;
    } else {
      const char = code === undefined || k + 1 >= to ? undefined : ESCAPES[code];
      if (char === undefined) unsure();
      text += char;
      k += 1;
    }
    from = k + 1;
  }
}

/** A single-quoted scalar closed before the line's end `to` (`''` is a quote); sets `end`. */
function singleQuoted(s: string, start: number, to: number): string {
  let text = "";
  let from = start + 1;
  for (;;) {
    const quote = s.indexOf("'", from);
    if (quote === -1 || quote >= to) unsure();
    text += s.slice(from, quote);
    if (quote + 1 >= to || s.charCodeAt(quote + 1) !== 39) {
      end = quote + 1;
      return text;
    }
    text += "'";
    from = quote + 2;
  }
}

function skipSpaces(s: string, at: number): number {
  while (s.charCodeAt(at) === 32) at++;
  return at;
}

/** A one-line flow list or mapping starting at `start`, closed before the line's end `to`; sets `end`. */
function flow(s: string, start: number, to: number, depth: number): unknown {
  if (depth > MAX_QUICK_DEPTH) unsure();
  const list = s.charCodeAt(start) === 91;
  const close = list ? 93 : 125;
  const data: unknown[] | Record<string, unknown> = list ? [] : {};
  let at = skipSpaces(s, start + 1);
  while (at >= to || s.charCodeAt(at) !== close) {
    if (list) (data as unknown[]).push(flowItem(s, at, to, depth));
    else {
      const colon = keyColon(s, at, to, true);
      if (colon === -1) unsure();
      const name = s.slice(at, colon);
      if (RESERVED_KEYS.has(name) || Object.hasOwn(data, name)) unsure();
      (data as Record<string, unknown>)[name] = flowItem(s, skipSpaces(s, colon + 1), to, depth);
    }
    at = skipSpaces(s, end);
    if (at >= to) unsure();
    const next = s.charCodeAt(at);
    if (next === close) break;
    if (next !== 44 /* , */) unsure();
    at = skipSpaces(s, at + 1);
    if (s.charCodeAt(at) === close) unsure(); // a trailing comma: left to the yaml package
  }
  end = at + 1;
  return data;
}

/** One entry of a flow collection: a nested collection, a quoted scalar, or a plain one; sets `end`. */
function flowItem(s: string, at: number, to: number, depth: number): unknown {
  if (at >= to) unsure();
  const c = s.charCodeAt(at);
  if (c === 91 || c === 123) return flow(s, at, to, depth + 1);
  if (c === 34) return doubleQuoted(s, at, to);
  if (c === 39) return singleQuoted(s, at, to);
  let stop = at;
  for (; stop < to; stop++) {
    const d = s.charCodeAt(stop);
    if (d === 44 || d === 91 || d === 93 || d === 123 || d === 125) break;
  }
  let last = stop;
  while (last > at && s.charCodeAt(last - 1) === 32) last--;
  const plain = s.slice(at, last);
  checkPlain(plain);
  if (plain.includes(" #") || plain.includes('"') || plain.includes("'")) unsure();
  end = stop;
  return resolvePlain(plain);
}
