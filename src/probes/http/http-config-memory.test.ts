import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfig } from '../../config/load-config.ts';
import { liveHeapBytes } from '../../../test/support/live-heap.ts';

const CHECKS = 50_000;

/** A config of `CHECKS` http checks with nothing but a URL: every probe field is a default. */
function parseChecks() {
  const lines = ['checks:'];
  for (let i = 0; i < CHECKS; i++) lines.push(`  - { name: c${i}, http: { url: "http://127.0.0.1:9/${i}" } }`);
  return parseConfig(`${lines.join('\n')}\n`, '/x.yaml', { env: {} });
}

describe('http probe config memory', () => {
  it('holds a default http config in one object, with no overflow property storage (bytes after a full GC, not time)', (t) => {
    // the first parses compile and optimise the loader's code: not part of the figure (their
    // results must be unreachable by the baseline, hence their own frame)
    const warm = () => void parseChecks().checks.length;
    for (let i = 0; i < 3; i++) warm();
    // measured as what releasing the config frees, not as growth across the parse: on a loaded
    // machine the optimising compiler finishes warm-up work during the parse, and its code
    // (never freed with the config) read as 26 more bytes per check
    let config: ReturnType<typeof parseChecks> | undefined = parseChecks();
    const held = liveHeapBytes();
    const probe = config.checks[7].probe as Record<string, unknown>;
    config = undefined;
    const perCheck = (held - liveHeapBytes()) / CHECKS;
    t.diagnostic(`${perCheck.toFixed(0)} bytes per check`);
    // a figure near zero would mean the config was never freed and the bar below measured nothing
    assert.ok(perCheck > 128, `releasing the config freed only ${perCheck.toFixed(0)} bytes per check`);
    assert.deepEqual(Object.keys(probe).sort(), ['expectStatus', 'followRedirects', 'maxBodyBytes', 'maxRedirects', 'method', 'tls', 'url']);
    assert.equal(probe.url, 'http://127.0.0.1:9/7');
    // zod adds the seven fields one by one to an empty object: four in the object and three in a
    // separate property array (272 bytes per check); built as one literal they all sit in the
    // object (255)
    assert.ok(perCheck < 264, `${perCheck.toFixed(0)} bytes per check held by the config`);
  });
});
