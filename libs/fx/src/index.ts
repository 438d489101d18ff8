// The fx lib's only door: currency conversion with the record's rate or the configured rate table.
export * from './fx-rate-source';
export * from './fx-errors';
export * from './fx-converter';
