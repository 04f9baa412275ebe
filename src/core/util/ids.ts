/** Fresh ids, injected so tests can make them predictable. */
export interface IdGenerator {
  next(): string;
}
