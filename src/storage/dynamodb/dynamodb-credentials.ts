/**
 * Credentials on DynamoDB, found by hash without a scan. Each credential is two items in the
 * `credentials` partition: the authoritative one keyed by subject (`<scope>#subject#<subject>`)
 * and a pointer keyed by hash (`<scope>#hash#<hash>`). A lookup reads the pointer, then the
 * subject item, and trusts only the subject item: a stale pointer left by a crash mid-replace
 * therefore never authenticates a replaced or revoked secret.
 * @module
 */
import type { Credential, CredentialsPort } from '../ports/credentials-port.ts';
import { isConditionalFailure, type DynamoOps, type Item } from './table-client.ts';
import { partitions } from './table-definition.ts';

const subjectKey = (scope: Credential['scope'], subject: string) => ({ name: partitions.credentials, sk: `${scope}#subject#${subject}` });
const hashKey = (scope: Credential['scope'], hash: string) => ({ name: partitions.credentials, sk: `${scope}#hash#${hash}` });

function toCredential(item: Item): Credential {
  const credential: Credential = {
    scope: item.scope as Credential['scope'],
    subject: String(item.subject),
    hash: String(item.hash),
    createdAt: Number(item.createdAt),
  };
  if (item.revokedAt !== undefined) credential.revokedAt = Number(item.revokedAt);
  return credential;
}

/** The credentials port on DynamoDB. */
export function createDynamoCredentials(ops: DynamoOps): CredentialsPort {
  return {
    async saveCredential(credential) {
      const { scope, subject, hash } = credential;
      const previous = await ops.get(subjectKey(scope, subject));
      await ops.put({ Item: { ...hashKey(scope, hash), subject } });
      const item: Item = { ...subjectKey(scope, subject), scope, subject, hash, createdAt: credential.createdAt };
      if (credential.revokedAt !== undefined) item.revokedAt = credential.revokedAt;
      await ops.put({ Item: item });
      if (previous && previous.hash !== hash) {
        try {
          await ops.delete({
            Key: hashKey(scope, String(previous.hash)),
            // Only our own pointer: another subject may have been given that hash since.
            ConditionExpression: '#subject = :subject',
            ExpressionAttributeNames: { '#subject': 'subject' },
            ExpressionAttributeValues: { ':subject': subject },
          });
        } catch (error) {
          if (!isConditionalFailure(error)) throw error;
        }
      }
    },

    async findCredential(scope, hash) {
      const pointer = await ops.get(hashKey(scope, hash));
      if (!pointer) return undefined;
      const item = await ops.get(subjectKey(scope, String(pointer.subject)));
      if (!item || item.hash !== hash || item.revokedAt !== undefined) return undefined;
      return toCredential(item);
    },

    async listCredentials(scope) {
      const items = await ops.query({
        KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
        ExpressionAttributeNames: { '#pk': 'name', '#sk': 'sk' },
        ExpressionAttributeValues: { ':pk': partitions.credentials, ':prefix': `${scope}#subject#` },
      });
      return items.map(toCredential);
    },

    async revokeCredential(scope, subject, at) {
      try {
        await ops.update({
          Key: subjectKey(scope, subject),
          UpdateExpression: 'SET #revokedAt = :at',
          ConditionExpression: 'attribute_exists(#sk)',
          ExpressionAttributeNames: { '#revokedAt': 'revokedAt', '#sk': 'sk' },
          ExpressionAttributeValues: { ':at': at },
        });
      } catch (error) {
        if (!isConditionalFailure(error)) throw error; // nothing to revoke
      }
    },
  };
}
