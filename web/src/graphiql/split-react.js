// Build-only entry (see build.mjs): keeps React in a chunk of its own.
export * from 'react';
export * from 'react-dom';
export * from 'react-dom/client';
