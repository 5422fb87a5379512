import { createHash, createHmac } from 'node:crypto';
import { fixtureBytes } from '@hookline/testing';
import type { VerifyInput } from '../verification.types';
import { TwilioVerifier } from './twilio.verifier';

// Twilio's published test vector (twilio-python tests/unit/test_request_validator.py), as
// recorded in the fixtures' README: this URL, auth token "12345" and the form body give
// RSOYDt4T1cUTdK1PDd93/VVr8B8=.
const URL_ = 'https://mycompany.com/myapp.php?foo=1&bar=2';
// The file ends with a newline, as text files do; Twilio's request body does not.
const BODY = Buffer.from(fixtureBytes('twilio__voice_incoming_call.txt').toString('utf8').trimEnd());
const TOKEN = '12345';
const EXPECTED = 'RSOYDt4T1cUTdK1PDd93/VVr8B8=';

const input = (headers: Record<string, string>, over: Partial<VerifyInput> = {}): VerifyInput => ({
  rawBody: BODY,
  headers,
  url: URL_,
  secrets: [TOKEN],
  toleranceSeconds: 300,
  now: new Date(),
  ...over,
});

describe('TwilioVerifier', () => {
  const sut = new TwilioVerifier();

  it("reproduces Twilio's published test vector", () => {
    expect(sut.verify(input({ 'x-twilio-signature': EXPECTED }))).toEqual({ ok: true, secretIndex: 0 });
  });

  it('refuses the vector with a changed parameter, URL or token', () => {
    const tampered = Buffer.from(BODY.toString('utf8').replace('Digits=1234', 'Digits=1235'));
    expect(sut.verify(input({ 'x-twilio-signature': EXPECTED }, { rawBody: tampered }))).toMatchObject({ ok: false, code: 'SIGNATURE_INVALID' });
    expect(sut.verify(input({ 'x-twilio-signature': EXPECTED }, { url: 'https://mycompany.com/myapp.php?foo=1&bar=3' }))).toMatchObject({ ok: false, code: 'SIGNATURE_INVALID' });
    expect(sut.verify(input({ 'x-twilio-signature': EXPECTED }, { secrets: ['54321'] }))).toMatchObject({ ok: false, code: 'SIGNATURE_INVALID' });
  });

  it('does not care about the order of the form parameters, which Twilio sorts', () => {
    const reordered = Buffer.from(BODY.toString('utf8').trim().split('&').reverse().join('&'));
    expect(sut.verify(input({ 'x-twilio-signature': EXPECTED }, { rawBody: reordered }))).toEqual({ ok: true, secretIndex: 0 });
  });

  it('accepts the URL with its default port written out, as Twilio may sign it', () => {
    expect(sut.verify(input({ 'x-twilio-signature': EXPECTED }, { url: 'https://mycompany.com:443/myapp.php?foo=1&bar=2' }))).toEqual({ ok: true, secretIndex: 0 });
  });

  it('accepts the previous auth token during a rotation, and refuses a missing header', () => {
    expect(sut.verify(input({ 'x-twilio-signature': EXPECTED }, { secrets: ['new-token', TOKEN] }))).toEqual({ ok: true, secretIndex: 1 });
    expect(sut.verify(input({}))).toEqual({ ok: false, code: 'SIGNATURE_MISSING', reason: 'no x-twilio-signature header' });
  });

  it('checks a JSON body against the bodySHA256 parameter of the signed URL', () => {
    const json = Buffer.from('{"CallSid":"CA123","Status":"completed"}');
    const url = `https://hooks.example.com/hooks/trg_1/tok?bodySHA256=${createHash('sha256').update(json).digest('hex')}`;
    const signature = createHmac('sha1', TOKEN).update(url).digest('base64');
    expect(sut.verify(input({ 'x-twilio-signature': signature }, { url, rawBody: json }))).toEqual({ ok: true, secretIndex: 0 });
    expect(sut.verify(input({ 'x-twilio-signature': signature }, { url, rawBody: Buffer.from('{"CallSid":"CA124","Status":"completed"}') }))).toMatchObject({
      ok: false,
      code: 'SIGNATURE_INVALID',
      reason: 'the body does not match the bodySHA256 query parameter',
    });
  });
});
