import { describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** DESIGN §1: the lint rule that keeps the layers honest must itself catch a violation. */
describe('layering lint rule', () => {
  const eslint = new ESLint({ cwd: root });
  const cases: Array<[string, string]> = [
    ['sip-stack/probe.ts', "import { Softswitch } from '../src/softswitch.js';\nexport const x = Softswitch;\n"],
    ['sip-stack/probe.ts', "import { MediaRelay } from '../media-relay/index.js';\nexport const x = MediaRelay;\n"],
    ['media-relay/probe.ts', "import { SipStack } from '../sip-stack/stack/sip-stack.js';\nexport const x = SipStack;\n"],
    ['media-relay/relay/probe.ts', "import { Call } from '../../src/b2bua/call.js';\nexport const x = Call;\n"],
  ];
  it.each(cases)('refuses an upward or sideways import in %s', async (file, code) => {
    const [result] = await eslint.lintText(code, { filePath: `${root}/${file}` });
    expect(result?.messages.map((m) => m.ruleId)).toContain('no-restricted-imports');
  });

  it('allows src to import both lower layers', async () => {
    const code = "import { MediaRelay } from '../media-relay/index.js';\nimport { SipStack } from '../sip-stack/stack/sip-stack.js';\nexport const x = [MediaRelay, SipStack];\n";
    const [result] = await eslint.lintText(code, { filePath: `${root}/src/probe.ts` });
    expect(result?.messages.filter((m) => m.ruleId === 'no-restricted-imports')).toEqual([]);
  });
});
