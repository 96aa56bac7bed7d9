/**
 * The one transition helper of CallDesk's state machines (call, agent, ticket). Each machine keeps
 * its own string union, transition table and ASCII diagram next to each other (as in sip.js
 * `SessionState`); this turns the table into the `can` / `transition` pair, so "is this move legal"
 * is written once. Each machine names its own error (a call's is internal, an agent's or a
 * ticket's crosses the API as `ILLEGAL_TRANSITION`).
 */

/** A transition table: from -> the states it may go to. Anything else is refused. */
export type TransitionTable<S extends string> = Readonly<Record<S, readonly S[]>>;

/** A state machine built from a transition table. */
export interface StateMachine<S extends string> {
  /** The table it was built from. */
  readonly table: TransitionTable<S>;
  /** True when `from -> to` is in the table. */
  can(from: S, to: S): boolean;
  /** Returns `to` when the move is legal; throws the machine's error otherwise. */
  transition(from: S, to: S): S;
}

/** Builds the `can` / `transition` pair of `table`; `illegal` makes the error of a refused move. */
export function defineStateMachine<S extends string>(table: TransitionTable<S>, illegal: (from: S, to: S) => Error): StateMachine<S> {
  const can = (from: S, to: S): boolean => table[from].includes(to);
  return {
    table,
    can,
    transition(from, to) {
      if (!can(from, to)) throw illegal(from, to);
      return to;
    },
  };
}
