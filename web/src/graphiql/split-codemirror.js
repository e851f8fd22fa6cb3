// Build-only entry (see build.mjs): keeps GraphiQL's editor components in a chunk of their own.
export * from '@graphiql/react';
