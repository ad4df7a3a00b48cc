/**
 * A process that fires one alert and dies mid-send, for the kill -9 ordering test: it opens the
 * SQLite file given as argv[2] (manual clock at the harness's T0), sends `api`'s FIRING to the
 * webhook at argv[3] and then waits, so the parent can kill it while the receiver holds the request.
 *
 *   node test/support/receivers/alerting-child.ts <db file> <receiver url>
 * @module
 */
import { createAlertingHarness, testCheck } from './alerting-harness.ts';

const [path, url] = process.argv.slice(2);
if (!path || !url) throw new Error('usage: alerting-child.ts <db file> <receiver url>');
const harness = await createAlertingHarness({ path, notifiers: { hook: { kind: 'webhook', url, timeout: '10s' } }, checks: [testCheck('api')] });
await harness.alerting.start();
await harness.publish([{ check: 'api', status: 'down' }]);
process.stdout.write('published\n');
// stay alive (the send is in flight) until the parent kills this process
setInterval(() => {}, 60_000);
