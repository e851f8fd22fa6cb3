// GraphiQL served from the binary: no CDN, the schema explorer plugin on, and the product's
// own question as the default query.
import { createElement } from 'react';
import { createRoot } from 'react-dom/client';
import { GraphiQL } from 'graphiql';
import { createGraphiQLFetcher } from '@graphiql/toolkit';
import { explorerPlugin } from '@graphiql/plugin-explorer';
import 'graphiql/graphiql.css';
import '@graphiql/plugin-explorer/dist/style.css';

const fetcher = createGraphiQLFetcher({ url: new URL('/graphql', location.href).href });
const explorer = explorerPlugin();

const defaultQuery = `# Every company that chose DEFY, and what each country did in return (one request, no N+1).
{
  responses(filter: {options: [DEFY]}, first: 100) {
    totalCount
    edges {
      node {
        company { name }
        country { code name }
        date
        instrument
        title
        replies {
          ... on CountryAction { option date title }
        }
      }
    }
  }
}
`;

createRoot(document.getElementById('graphiql')).render(
  createElement(GraphiQL, {
    fetcher,
    defaultQuery,
    plugins: [explorer],
    defaultEditorToolsVisibility: true,
    shouldPersistHeaders: false,
  },
  // The logo corner links to the data explorer.
  createElement(GraphiQL.Logo, null, createElement('a', { href: '/explore', title: 'The data explorer' }, 'cybertrade explorer'))),
);
