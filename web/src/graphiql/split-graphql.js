// Build-only entry (see build.mjs): keeps graphql-js in a chunk of its own.
export * from 'graphql';
