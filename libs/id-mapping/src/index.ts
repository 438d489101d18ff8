// The id-mapping lib's only door: $lookup over id maps (Clarity account ↔ Payoneer payee, …).
export * from './id-map-namespace';
export * from './id-map-store';
export * from './id-map-missing.error';
export * from './id-mapper';
