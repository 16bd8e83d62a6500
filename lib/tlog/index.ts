export * from './bytes';
export * from './message';
export * from './timing';
export * from './recording';
