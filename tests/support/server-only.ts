// Stands in for 'server-only' outside Next's server bundles (tests, CLI).
export {};
