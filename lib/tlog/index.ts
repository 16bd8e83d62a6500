export * from './message';
export * from './timing';
export * from './recording';
