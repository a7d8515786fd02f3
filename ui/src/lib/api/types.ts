// The IPC types of docs/architecture.md: command arguments and results, the `sale-updated`
// payload and CommandError. They are generated from pos-core's Rust types into ./bindings.ts
// (regenerate: `UPDATE_BINDINGS=1 cargo test -p pos-core --test ui_bindings`);
// the rest of the UI imports them from here.
export type * from './bindings';

// UI-only types with no Rust counterpart belong below this line, written by hand.
