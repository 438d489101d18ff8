/** Injection token for the resolved sandbox options. */
export const SANDBOX_OPTIONS = Symbol('SANDBOX_OPTIONS');
