import { GetParameterCommand, ParameterNotFound, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { ssmSecretStore } from '../../functions/shared/secrets.ts';

const ssm = mockClient(SSMClient);
const client = new SSMClient({ region: 'us-east-1' });
const store = ssmSecretStore('/quartermaster/prod/secrets/', () => client);

beforeEach(() => ssm.reset());

describe('SSM SecureString secret store', () => {
  it('reads the decrypted parameter under the prefix', async () => {
    ssm.on(GetParameterCommand).resolves({ Parameter: { Value: 'shpss_x' } });
    expect(await store.get('channels/shop-us/webhook')).toBe('shpss_x');
    expect(ssm.commandCalls(GetParameterCommand)[0]?.args[0].input).toEqual({
      Name: '/quartermaster/prod/secrets/channels/shop-us/webhook',
      WithDecryption: true,
    });
  });

  it('answers undefined for a parameter that does not exist', async () => {
    ssm.on(GetParameterCommand).rejects(new ParameterNotFound({ message: 'nope', $metadata: {} }));
    expect(await store.get('channels/none/webhook')).toBeUndefined();
  });

  it('writes a SecureString, overwriting (rotation)', async () => {
    ssm.on(PutParameterCommand).resolves({ Version: 2 });
    await store.put('channels/shop-us/webhook', 'rotated');
    expect(ssm.commandCalls(PutParameterCommand)[0]?.args[0].input).toEqual({
      Name: '/quartermaster/prod/secrets/channels/shop-us/webhook',
      Value: 'rotated',
      Type: 'SecureString',
      Overwrite: true,
    });
  });

  it('refuses names that would leave the prefix', async () => {
    await expect(store.get('../other-app/key')).rejects.toThrow(/Invalid secret name/);
  });
});
