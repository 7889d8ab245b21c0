import { isRecord, Untranslatable } from './untranslatable.js';

/**
 * The JSON Schema keywords Gemini's `parametersJsonSchema` / `responseJsonSchema` honour (Google's
 * API reference lists exactly these), plus the non-standard `propertyOrdering`.
 */
const SUPPORTED = new Set([
  '$id',
  '$defs',
  '$ref',
  '$anchor',
  'type',
  'format',
  'title',
  'description',
  'enum',
  'items',
  'prefixItems',
  'minItems',
  'maxItems',
  'minimum',
  'maximum',
  'anyOf',
  'oneOf',
  'properties',
  'additionalProperties',
  'required',
  'propertyOrdering',
]);
/** Annotations: they change no validation, so leaving them out changes nothing the model must obey. */
const ANNOTATIONS = new Set([
  '$schema',
  '$comment',
  'default',
  'examples',
  'deprecated',
  'readOnly',
  'writeOnly',
]);
/** Keywords whose values are schemas, or maps / lists of schemas. */
const SCHEMA_VALUED = new Set(['items', 'additionalProperties']);
const SCHEMA_MAPS = new Set(['properties', '$defs']);
const SCHEMA_LISTS = new Set(['anyOf', 'oneOf', 'prefixItems']);

/**
 * A JSON Schema prepared for Gemini. Supported keywords pass; annotations are left out; `const` becomes a
 * one-value `enum`; `definitions` becomes `$defs` (and `#/definitions/` refs follow). With `strict`
 * (the caller wants the schema enforced), any other keyword is refused, naming its path; without it,
 * the schema only describes (OpenAI does not enforce it either) and passes as it is.
 */
export function convertSchema(schema: unknown, path: string, strict: boolean): unknown {
  if (!strict) return schema;
  return convertNode(schema, path);
}

function convertNode(node: unknown, path: string): unknown {
  if (typeof node === 'boolean') return node;
  if (!isRecord(node)) throw new Untranslatable(`${path}: a schema that is not an object`);
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    const at = `${path}.${key}`;
    if (ANNOTATIONS.has(key)) continue;
    if (key === 'const') {
      out.enum = [value];
      continue;
    }
    if (key === 'definitions') {
      out.$defs = convertMap(value, at);
      continue;
    }
    if (key === '$ref' && typeof value === 'string') {
      out.$ref = value.replace(/^#\/definitions\//, '#/$defs/');
      continue;
    }
    if (!SUPPORTED.has(key)) throw new Untranslatable(`${at} (JSON Schema keyword ${key} with strict)`);
    if (SCHEMA_MAPS.has(key)) out[key] = convertMap(value, at);
    else if (SCHEMA_LISTS.has(key)) {
      if (!Array.isArray(value)) throw new Untranslatable(`${at}: a value that is not a list`);
      out[key] = value.map((v, i) => convertNode(v, `${at}[${i}]`));
    } else if (SCHEMA_VALUED.has(key)) out[key] = convertNode(value, at);
    else out[key] = value;
  }
  return out;
}

function convertMap(value: unknown, path: string): Record<string, unknown> {
  if (!isRecord(value)) throw new Untranslatable(`${path}: a value that is not an object`);
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, convertNode(v, `${path}.${k}`)]));
}
