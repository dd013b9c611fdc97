import { it, expect } from 'vitest';
import { Phone } from '../../support/phone.js';

it('smoke', async () => {
  const a = await Phone.create({ user: 'alice', domain: 'pbx.local', displayName: 'Alice' });
  const b = await Phone.create({ user: 'bob', domain: 'pbx.local' });
  a.setServer(b.sipAddress); b.setServer(a.sipAddress);
  try {
    const out = await a.call('bob');
    const inc = await b.nextIncoming();
    await out.waitForState('ringing');
    await inc.answer();
    await out.waitForState('established');
    await out.expectAudioFlowing();
    await inc.expectAudioFlowing();
    console.log(a.sipLog.map(e => `${e.direction} ${e.raw}`).join('\n-----\n'));
    expect(inc.remoteIdentity.user).toBe('alice');
    await out.hangup();
    await inc.waitForState('terminated');
  } finally {
    console.log(a.sipjsLog, b.sipjsLog);
    await a.close(); await b.close();
  }
});
