import { existsSync, readFileSync } from 'node:fs';
import type { CodegenConfig } from '@graphql-codegen/cli';

// The committed SDL is the contract. While the backend is landing feature by feature, the
// draft supplies (as type extensions) the operations the SDL does not have yet.
const committed = '../schema.graphql';
const draft = './schema.draft.graphql';
const committedText = existsSync(committed) ? readFileSync(committed, 'utf8') : '';
const complete = /\bcreateSqlCredential\s*\(/.test(committedText);
const schema = complete ? [committed] : committedText ? [committed, draft] : [draft];
if (!complete) console.warn(`codegen: ${committed} is incomplete; merging ${draft}`);

const config: CodegenConfig = {
  schema,
  documents: ['src/**/*.{ts,tsx}', '!src/gql/**/*'],
  ignoreNoDocuments: true,
  generates: {
    './src/gql/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        documentMode: 'string',
        enumsAsTypes: true,
        useTypeImports: true,
        scalars: { DateTime: 'string', JSON: 'Record<string, unknown>' },
      },
    },
  },
};

export default config;
