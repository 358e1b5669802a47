/**
 * Runs items in batches, at most `parallel` batches at a time (one by default): an item added while
 * fewer run starts a batch at once (alone, so a quiet system adds no latency); items added while
 * `parallel` batches run wait and go together in the next one, up to `maxBatch`. Under load batches
 * grow by themselves and the cost of a transaction is shared by its items.
 *
 * A batch that fails is run again item by item, so one bad item fails alone and the others succeed.
 */
export class GroupCommit<I, O> {
  private readonly waiting: { item: I; resolve: (out: O) => void; reject: (error: unknown) => void }[] = [];
  private running = 0;

  constructor(
    private readonly run: (items: readonly I[]) => Promise<readonly O[]>,
    private readonly maxBatch: number,
    private readonly parallel = 1,
  ) {}

  /** Adds `item` to the next batch; resolves with its result once its batch has committed. */
  add(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      if (this.running < this.parallel) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.running += 1;
    try {
      while (this.waiting.length > 0) {
        const batch = this.waiting.splice(0, this.maxBatch);
        try {
          const results = await this.run(batch.map((b) => b.item));
          batch.forEach((b, i) => b.resolve(results[i]!));
        } catch (error) {
          if (batch.length === 1) {
            batch[0]!.reject(error);
            continue;
          }
          for (const b of batch) {
            try {
              b.resolve((await this.run([b.item]))[0]!);
            } catch (itsError) {
              b.reject(itsError);
            }
          }
        }
      }
    } finally {
      this.running -= 1;
    }
  }
}
