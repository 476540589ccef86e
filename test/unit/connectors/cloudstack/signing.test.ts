/** CloudStack signing against the developer guide's worked example and the encoding edge cases of cloud-apis.md §1.2. */
import { describe, expect, it } from 'vitest';
import { encodeValue, expiresAt, signParams, stringToSign } from '#connectors/cloudstack/signing';

const apikey = 'plgWJfZK4gyS3mOMTVmjUVg-X-jlWlnfaUJ9GAbBbf9EdM-kAYMmAiLqzzq1ElZLYq_u38zCm0bewzGUdP66mg';
const secret = 'VDaACYb0LV9eNjTetIOElcVQkvJck_J_QljX_FcHRj87ZKiy0z0ty0ZsYBkoXkY9b7eq1EhwJaw7FF3akA3KBQ';

describe('cloudstack request signing', () => {
  it("reproduces the developer guide's worked example (listUsers) exactly", () => {
    // Prepare
    const params = { command: 'listUsers', response: 'json', apikey };

    // Act
    const signed = stringToSign(params);
    const signature = signParams(params, secret);

    // Assess
    expect(signed).toBe('apikey=plgwjfzk4gys3momtvmjuvg-x-jlwlnfauj9gabbbf9edm-kaymmailqzzq1elzlyq_u38zcm0bewzgudp66mg&command=listusers&response=json');
    expect(signature).toBe('TTpdDq/7j/J58XCRHomKoQXEQds=');
    expect(encodeURIComponent(signature)).toBe('TTpdDq%2F7j%2FJ58XCRHomKoQXEQds%3D');
  });

  it('encodes values as the server re-encodes them (vector 2: spaces, quotes, brackets, tilde, expires)', () => {
    // Prepare
    const params = {
      command: 'deployVirtualMachine',
      response: 'json',
      apikey,
      serviceofferingid: '71004023-bb72-4a97-b1e9-bc66dfce9470',
      templateid: 'a17b40d6-83e4-4f2a-9ef0-dce6af575789',
      zoneid: '1128bd56-b4d9-4ac6-a7b9-c715b187ce11',
      displayname: "web 01 (test) it's *ok*! ~x",
      userdata: 'I2Nsb3VkLWNvbmZpZwpydW5jbWQ6CiAgLSBlY2hvIGhpID4gL3RtcC9oaQo=',
      signatureversion: '3',
      expires: '2026-01-01T00:10:00+0000',
    };

    // Act
    const signature = signParams(params, secret);

    // Assess
    expect(stringToSign(params)).toContain('&displayname=web%2001%20%28test%29%20it%27s%20*ok*%21%20%7ex&expires=2026-01-01t00%3a10%3a00%2b0000&');
    expect(signature).toBe('X2ILG9gGQAnjmoFrdbnBVtX52YE=');
  });

  it("escapes the five characters encodeURIComponent keeps but Java's URLEncoder does not, and keeps '*'", () => {
    // Act
    const encoded = encodeValue("a b+c/d=e!'()*~é");

    // Assess
    expect(encoded).toBe('a%20b%2Bc%2Fd%3De%21%27%28%29*%7E%C3%A9');
  });

  it('leaves the signature itself out of the signed string', () => {
    // Act
    const signed = stringToSign({ command: 'listZones', signature: 'abc' });

    // Assess
    expect(signed).toBe('command=listzones');
  });

  it('writes expires in the form the server parses, ten minutes ahead', () => {
    // Act
    const expires = expiresAt(new Date('2026-01-01T00:00:00.000Z'), 10 * 60 * 1000);

    // Assess
    expect(expires).toBe('2026-01-01T00:10:00+0000');
  });
});
