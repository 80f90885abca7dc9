import * as t from 'io-ts';
import { Identifier, IsoTimestamp, JsonObject, MessageId, NonEmptyString } from './primitives';

/**
 * Codecs for the calls of the Segment Spec. They check what the spec requires and the types of the fields we
 * read, and keep every other field as it came: Segment adds fields over time and they are the customer's data.
 */

const common = {
  messageId: MessageId,
  userId: Identifier,
  anonymousId: Identifier,
  timestamp: IsoTimestamp,
  sentAt: IsoTimestamp,
  receivedAt: IsoTimestamp,
  originalTimestamp: IsoTimestamp,
  context: JsonObject,
  integrations: JsonObject,
};

const withCommon = <P extends t.Props, O extends t.Props>(name: string, required: P, optional: O) =>
  t.intersection([t.type(required), t.partial({ ...common, ...optional })], name);

export const TrackCall = withCommon(
  'TrackCall',
  { type: t.literal('track'), event: NonEmptyString },
  { properties: JsonObject },
);
export const IdentifyCall = withCommon('IdentifyCall', { type: t.literal('identify') }, { traits: JsonObject });
export const GroupCall = withCommon(
  'GroupCall',
  { type: t.literal('group'), groupId: Identifier },
  { traits: JsonObject },
);
export const PageCall = withCommon(
  'PageCall',
  { type: t.literal('page') },
  { name: t.string, category: t.string, properties: JsonObject },
);
export const ScreenCall = withCommon(
  'ScreenCall',
  { type: t.literal('screen') },
  { name: t.string, category: t.string, properties: JsonObject },
);
export const AliasCall = withCommon(
  'AliasCall',
  { type: t.literal('alias'), userId: Identifier, previousId: Identifier },
  {},
);
/** Segment's user-deletion notice, forwarded by the legacy Webhooks destination. */
export const DeleteCall = withCommon('DeleteCall', { type: t.literal('delete'), userId: Identifier }, {});

export const callCodecs = {
  track: TrackCall,
  identify: IdentifyCall,
  group: GroupCall,
  page: PageCall,
  screen: ScreenCall,
  alias: AliasCall,
  delete: DeleteCall,
} as const;

export type CallType = keyof typeof callCodecs;
export const CALL_TYPES = Object.keys(callCodecs) as CallType[];

type Decoded<K extends CallType> = t.TypeOf<(typeof callCodecs)[K]> & Record<string, unknown>;

/**
 * A call that passed decoding and normalisation: it always has a messageId, a timestamp (its place in the
 * customer's chronology) and the time we received it.
 */
export type SegmentCall = {
  [K in CallType]: Decoded<K> & { readonly messageId: string; readonly timestamp: string; readonly receivedAt: string };
}[CallType];

