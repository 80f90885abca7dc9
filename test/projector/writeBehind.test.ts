import { expect } from 'chai';
import { WriteBehind } from '../../src/projector/writeBehind';
import type { Doc, ReadStore, WriteOp } from '../../src/readstore/port';
import { ReadStoreUnavailableError } from '../../src/readstore/port';
import { openSqliteReadStore } from '../../src/readstore/sqlite';
import { rejectionOf } from '../support/promises';

interface Note extends Doc {
  readonly text: string;
}

const put = (id: string, text: string): WriteOp => ({ kind: 'put', collection: 'notes', doc: { _id: id, text } as Note });
const remove = (id: string): WriteOp => ({ kind: 'delete', collection: 'notes', id });

/** A writer whose writes wait for the test to let them through, one at a time, and fail when told to. */
function heldWriter(store: ReadStore) {
  const written: WriteOp[][] = [];
  const queue: { ops: readonly WriteOp[]; release: (failure?: Error) => void }[] = [];
  const writeAside = (ops: readonly WriteOp[]) =>
    new Promise<void>((resolve, reject) =>
      queue.push({
        ops,
        release: (failure) => {
          if (failure) return reject(failure);
          written.push([...ops]);
          store.write(ops).then(resolve, reject);
        },
      }),
    );
  /** Lets the oldest waiting write through (or fails it), once it has reached the writer. */
  const next = async (failure?: Error) => {
    for (let turn = 0; queue.length === 0 && turn < 1000; turn++) await new Promise((resolve) => setImmediate(resolve));
    queue.shift()!.release(failure);
  };
  return { writeAside, next, written, waiting: () => queue.length };
}

describe('Projector thread: commits behind the projection of the next batch', () => {
  let store: ReadStore;
  beforeEach(async () => {
    store = await openSqliteReadStore(':memory:');
    await store.write([put('a', 'stored a'), put('b', 'stored b')]);
  });
  afterEach(() => store.close());

  const read = async (reads: ReadStore, id: string) => ((await (await reads.collection<Note>('notes')).get(id)) as Note | null)?.text ?? null;
  const readMany = async (reads: ReadStore, ids: string[]) => (await (await reads.collection<Note>('notes')).getMany(ids)).map((d) => d.text).sort();

  it('reads a batch still being written from memory, the newest write of each document first', async () => {
    const writer = heldWriter(store);
    const behind = new WriteBehind(store, writer.writeAside);
    const first = behind.commitBehind([put('a', 'first a'), remove('b'), put('c', 'first c')]);
    const second = behind.commitBehind([put('c', 'second c')]);
    expect(await read(behind.reads, 'a')).to.equal('first a');
    expect(await read(behind.reads, 'b'), 'deleted by a pending batch').to.equal(null);
    expect(await read(behind.reads, 'c')).to.equal('second c');
    expect(await readMany(behind.reads, ['a', 'b', 'c', 'z'])).to.deep.equal(['first a', 'second c']);

    await writer.next();
    await first;
    // The first batch is committed: the store answers for a and b; c is still the second batch's.
    expect(await read(store, 'c')).to.equal('first c');
    expect(await read(behind.reads, 'c')).to.equal('second c');
    await writer.next();
    await second;
    expect(await readMany(behind.reads, ['a', 'b', 'c'])).to.deep.equal(['first a', 'second c']);
  });

  it('commits in order, one batch after the other', async () => {
    const writer = heldWriter(store);
    const behind = new WriteBehind(store, writer.writeAside);
    const commits = [behind.commitBehind([put('a', '1')]), behind.commitBehind([put('a', '2')]), behind.commitBehind([put('a', '3')])];
    for (let i = 0; i < 3; i++) {
      expect(writer.waiting(), 'one write at a time').to.be.at.most(1);
      await writer.next();
      await commits[i];
    }
    expect(writer.written.map((ops) => (ops[0] as unknown as { doc: Note }).doc.text)).to.deep.equal(['1', '2', '3']);
    expect(await read(store, 'a')).to.equal('3');
  });

  it('fails the batches projected on top of a failed commit without writing them, and forgets their documents', async () => {
    const writer = heldWriter(store);
    const behind = new WriteBehind(store, writer.writeAside);
    const first = behind.commitBehind([put('a', 'first a')]);
    const second = behind.commitBehind([put('b', 'second b')]);
    await writer.next(new ReadStoreUnavailableError('disk full'));
    expect(String(await rejectionOf(first))).to.contain('disk full');
    expect(await rejectionOf(second)).to.be.instanceOf(ReadStoreUnavailableError);
    expect(writer.written, 'nothing written').to.deep.equal([]);
    expect(await read(behind.reads, 'a'), 'read from the store again').to.equal('stored a');
    expect(await read(behind.reads, 'b')).to.equal('stored b');

    // A batch handed over after the failure is written.
    const third = behind.commitBehind([put('a', 'third a')]);
    await writer.next();
    await third;
    expect(await read(store, 'a')).to.equal('third a');
  });
});
