// speed.test.mjs: how /matning writes speeds and latencies (src/speed.js),
// run in Node without a browser by TestSpeedFormat (matning_test.go).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mbit, ms } from '../src/speed.js';

const nb = (s) => s.replace(/[\u00a0\u202f]/g, ' ');

test('a gigabit is "1 Gbit/s", whole hundreds have no decimals, slow speeds one', () => {
  assert.equal(nb(mbit(1000)), '1 Gbit/s');
  assert.equal(nb(mbit(10000)), '10 Gbit/s');
  assert.equal(nb(mbit(1200)), '1 200 Mbit/s');
  assert.equal(nb(mbit(250)), '250 Mbit/s');
  assert.equal(nb(mbit(94.5)), '94,5 Mbit/s');
  assert.ok(!mbit(1000).includes(',0'), 'never "1 000,0 Mbit/s"');
});

test('a latency that was not measured is not "0 ms"', () => {
  assert.equal(ms(null), null);
  assert.equal(ms(0), null);
  assert.equal(ms(0.004), 'under 1 ms');
  assert.equal(ms(3.44), '3,4 ms');
  assert.equal(ms(31), '31 ms');
});
