/** The spellings of a connector id that the scaffold templates need. */
export interface ScaffoldNames {
  /** kebab-case: `acme-crm`. */
  id: string;
  /** PascalCase: `AcmeCrm`. */
  pascal: string;
  /** camelCase: `acmeCrm`. */
  camel: string;
  /** Words: `Acme Crm`. */
  title: string;
  /** SCREAMING_SNAKE: `ACME_CRM`. */
  constant: string;
}

/** Derives every spelling from a kebab-case id. */
export function scaffoldNames(id: string): ScaffoldNames {
  const words = id.split('-');
  const capitalised = words.map((word) => word.charAt(0).toUpperCase() + word.slice(1));
  const pascal = capitalised.join('');
  return {
    id,
    pascal,
    camel: pascal.charAt(0).toLowerCase() + pascal.slice(1),
    title: capitalised.join(' '),
    constant: words.map((word) => word.toUpperCase()).join('_'),
  };
}
