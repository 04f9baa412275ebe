/** The time, injected: the core never reads the wall clock itself, so tests can move it. */
export interface Clock {
  now(): Date;
}
