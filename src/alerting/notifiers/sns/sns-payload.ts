/**
 * Pure SNS Publish input: subject (SNS allows ≤ 100 printable ASCII characters, one line), the
 * plain-text message, and attributes subscribers can filter on.
 * @module
 */
import type { AlertEvent } from '../../../domain/alert.ts';
import { eventLabel, plainText } from '../event-style.ts';
import { clipBytes } from '../clip.ts';

export interface SnsPublishInput {
  TopicArn: string;
  Subject: string;
  Message: string;
  MessageAttributes: Record<string, { DataType: 'String'; StringValue: string }>;
}

/** SNS rejects subjects with control or non-ASCII characters, or longer than 100. */
export function snsSubject(text: string): string {
  const ascii = text.replace(/[^\x20-\x7e]+/g, ' ').replace(/\s+/g, ' ').trim();
  return (ascii.length <= 100 ? ascii : `${ascii.slice(0, 97)}...`) || 'Upstate alert';
}

export function buildSnsPublish(event: AlertEvent, topicArn: string, subjectPrefix: string): SnsPublishInput {
  return {
    TopicArn: topicArn,
    Subject: snsSubject(`${subjectPrefix ? `${subjectPrefix} ` : ''}${eventLabel(event)}: ${event.title}`),
    // SNS refuses a message over 256 KiB (its attributes count too: keep a margin)
    Message: clipBytes(plainText(event), 250 * 1024),
    MessageAttributes: {
      kind: { DataType: 'String', StringValue: event.kind },
      state: { DataType: 'String', StringValue: event.state },
      check: { DataType: 'String', StringValue: event.check },
      rule: { DataType: 'String', StringValue: event.rule },
    },
  };
}
