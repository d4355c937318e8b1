// Placeholder entry replaced below.
export {};
