/**
 * AWS SNS channel: one Publish per event. Credentials come from the config (for tests and
 * non-AWS hosts) or, when absent, from the SDK's default provider chain (Lambda role, env, …).
 * The SDK is imported on the first delivery, so a config without an SNS channel never loads it.
 * @module
 */
import { z } from 'zod';
import { defineNotifier, DeliveryError } from '../notifier.ts';
import { isHttpUrl } from '../../../kernel/http-url.ts';
import { buildSnsPublish } from './sns-payload.ts';

const TOPIC_ARN = /^arn:aws[\w-]*:sns:([a-z0-9-]+):\d{12}:[\w-]{1,256}(\.fifo)?$/;

export const snsSchema = z
  .strictObject({
    topicArn: z.string().regex(TOPIC_ARN, 'must be an SNS topic ARN (arn:aws:sns:<region>:<account>:<name>)'),
    /** Defaults to the region in the topic ARN. */
    region: z.string().regex(/^[a-z0-9-]+$/).optional(),
    /** Custom endpoint (tests, VPC endpoints). */
    endpoint: z.string().refine(isHttpUrl, 'must be an absolute http(s) URL').optional(),
    accessKeyId: z.string().min(1).optional(),
    secretAccessKey: z.string().min(1).optional(),
    sessionToken: z.string().min(1).optional(),
    subjectPrefix: z.string().default('[Upstate]'),
  })
  .refine((c) => (c.accessKeyId === undefined) === (c.secretAccessKey === undefined), {
    message: 'accessKeyId and secretAccessKey go together',
    path: ['secretAccessKey'],
  });

export type SnsConfig = z.output<typeof snsSchema>;

export const sns = defineNotifier<SnsConfig>({
  kind: 'sns',
  schema: snsSchema,
  async send(event, config, { signal }) {
    const region = config.region ?? TOPIC_ARN.exec(config.topicArn)![1];
    const { SNSClient, PublishCommand } = await import('@aws-sdk/client-sns');
    const client = new SNSClient({
      region,
      endpoint: config.endpoint,
      maxAttempts: 1, // the dispatcher owns retries and backoff
      credentials: config.accessKeyId
        ? { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey!, sessionToken: config.sessionToken }
        : undefined,
    });
    try {
      await client.send(new PublishCommand(buildSnsPublish(event, config.topicArn, config.subjectPrefix)), { abortSignal: signal });
    } catch (cause) {
      const status = (cause as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      const reason = signal.aborted ? 'timed out' : (cause as Error).message;
      throw new DeliveryError(`SNS Publish to ${config.topicArn} failed: ${reason}`, {
        cause,
        retryable: status === undefined || status >= 500 || status === 429,
      });
    } finally {
      client.destroy();
    }
  },
});
