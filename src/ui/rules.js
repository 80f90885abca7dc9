// How mapping rules read in plain words, and how the editor's condition rows map to the API's shape.

export const OPERATORS = [
  ['equals', 'is'],
  ['oneOf', 'is one of'],
  ['greaterThan', 'is greater than'],
  ['lessThan', 'is less than'],
  ['exists', 'is present'],
  ['missing', 'is absent'],
];

export const describeEvent = (event) => ('equals' in event ? `“${event.equals}”` : `matches ${event.pattern}`);

export function describeCondition(c) {
  if ('equals' in c) return `${c.property} is ${JSON.stringify(c.equals)}`;
  if ('oneOf' in c) return `${c.property} is one of ${c.oneOf.map((v) => JSON.stringify(v)).join(', ')}`;
  if ('greaterThan' in c) return `${c.property} > ${c.greaterThan}`;
  if ('lessThan' in c) return `${c.property} < ${c.lessThan}`;
  if ('exists' in c) return `${c.property} ${c.exists ? 'is present' : 'is absent'}`;
  return JSON.stringify(c);
}

export function conditionToForm(c) {
  if ('oneOf' in c) return { property: c.property, operator: 'oneOf', value: c.oneOf.join(', ') };
  if ('exists' in c) return { property: c.property, operator: c.exists ? 'exists' : 'missing', value: '' };
  const operator = ['equals', 'greaterThan', 'lessThan'].find((k) => k in c) ?? 'equals';
  return { property: c.property, operator, value: String(c[operator] ?? '') };
}

/** Numbers and booleans typed into a value field are sent as such; anything else as text. */
const scalar = (text) => {
  const t = text.trim();
  if (t === 'true' || t === 'false') return t === 'true';
  if (t !== '' && !isNaN(Number(t))) return Number(t);
  return t;
};

export function conditionFromForm(property, operator, value) {
  if (operator === 'exists') return { property, exists: true };
  if (operator === 'missing') return { property, exists: false };
  if (operator === 'oneOf') return { property, oneOf: value.split(',').map(scalar).filter((v) => v !== '') };
  return { property, [operator]: scalar(value) };
}
