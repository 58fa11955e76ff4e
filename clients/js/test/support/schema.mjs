// The frames' JSON Schemas (docs/schemas/*.schema.json) and a small validator for the keywords they use:
// type, const, enum, pattern, minLength, maxLength, minimum, maximum, required, properties,
// additionalProperties, items, maxItems. A keyword it does not know fails loudly, so a schema never
// validates by accident.

import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const schemaFolder = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..', 'docs', 'schemas');

/** Frame type -> schema, for every file in docs/schemas. */
export function loadSchemas(folder = schemaFolder) {
  const schemas = new Map();
  for (const file of readdirSync(folder).filter((f) => f.endsWith('.schema.json'))) {
    schemas.set(file.slice(0, -'.schema.json'.length), JSON.parse(readFileSync(join(folder, file), 'utf8')));
  }
  return schemas;
}

const KNOWN = new Set(['$schema', '$id', 'title', 'description', 'type', 'const', 'enum', 'pattern', 'minLength', 'maxLength',
  'minimum', 'maximum', 'required', 'properties', 'additionalProperties', 'items', 'maxItems']);

/** The problems of `value` against `schema`, as "path: what" strings; empty when it is valid. */
export function validate(schema, value, path = '$') {
  const problems = [];
  for (const keyword of Object.keys(schema)) {
    if (!KNOWN.has(keyword)) {
      throw new Error(`${path}: the test validator does not know the keyword '${keyword}'`);
    }
  }
  if (schema.type !== undefined && !hasType(value, schema.type)) {
    return [`${path}: ${JSON.stringify(value)} is not of type ${schema.type}`];
  }
  if ('const' in schema && value !== schema.const) {
    problems.push(`${path}: must be ${JSON.stringify(schema.const)}, not ${JSON.stringify(value)}`);
  }
  if (schema.enum && !schema.enum.includes(value)) {
    problems.push(`${path}: ${JSON.stringify(value)} is not one of ${schema.enum.join(', ')}`);
  }
  if (typeof value === 'string') {
    if (schema.pattern && !new RegExp(schema.pattern, 'u').test(value)) {
      problems.push(`${path}: ${JSON.stringify(value)} does not match ${schema.pattern}`);
    }
    const length = [...value].length;
    if (schema.minLength !== undefined && length < schema.minLength) {
      problems.push(`${path}: shorter than ${schema.minLength}`);
    }
    if (schema.maxLength !== undefined && length > schema.maxLength) {
      problems.push(`${path}: longer than ${schema.maxLength}`);
    }
  }
  if (typeof value === 'number') {
    if (schema.minimum !== undefined && value < schema.minimum) {
      problems.push(`${path}: ${value} is below ${schema.minimum}`);
    }
    if (schema.maximum !== undefined && value > schema.maximum) {
      problems.push(`${path}: ${value} is above ${schema.maximum}`);
    }
  }
  if (Array.isArray(value)) {
    if (schema.maxItems !== undefined && value.length > schema.maxItems) {
      problems.push(`${path}: more than ${schema.maxItems} items`);
    }
    if (schema.items) {
      value.forEach((item, i) => problems.push(...validate(schema.items, item, `${path}[${i}]`)));
    }
  }
  if (isObject(value)) {
    for (const name of schema.required ?? []) {
      if (!(name in value)) {
        problems.push(`${path}: '${name}' is required`);
      }
    }
    for (const [name, item] of Object.entries(value)) {
      const sub = schema.properties?.[name];
      if (sub) {
        problems.push(...validate(sub, item, `${path}.${name}`));
      } else if (schema.additionalProperties === false) {
        problems.push(`${path}: '${name}' is not in the schema`);
      }
    }
  }
  return problems;
}

/** Validates a frame against the schema of its `type`; throws with every problem when it does not validate. */
export function assertFrame(schemas, frame) {
  const schema = schemas.get(frame?.type);
  if (!schema) {
    throw new Error(`no schema in docs/schemas for a frame of type ${JSON.stringify(frame?.type)}: ${JSON.stringify(frame)}`);
  }
  const problems = validate(schema, frame);
  if (problems.length > 0) {
    throw new Error(`${JSON.stringify(frame)} does not match ${frame.type}.schema.json:\n  ${problems.join('\n  ')}`);
  }
}

function isObject(value) {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function hasType(value, type) {
  switch (type) {
    case 'object':
      return isObject(value);
    case 'array':
      return Array.isArray(value);
    case 'string':
      return typeof value === 'string';
    case 'integer':
      return Number.isSafeInteger(value);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'boolean':
      return typeof value === 'boolean';
    default:
      throw new Error(`the test validator does not know the type '${type}'`);
  }
}
