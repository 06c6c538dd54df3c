//! Several schedulers on one PostgreSQL task log: every launch exactly once, the runs of a
//! dead instance closed by `crash` (`docs/cluster.md` is the user's guide).
//!
//! PostgreSQL is the coordinator; there is no other service. Beside the log table `T`
//! (Rocketry's layout, untouched) a cluster keeps two tables:
//!
//! * `T_instances`: one row per live instance, with its lease (`expires`, on the database's
//!   clock), renewed by a heartbeat;
//! * `T_claims`: one row per launch, keyed by the task and **the id of the task's previous
//!   `run` record**. A scheduler launches only after inserting that row, in the same
//!   transaction as the `run` record; a scheduler whose view of the log is stale asks for a
//!   key another one already holds and is refused (see `claim.rs` for why this key rather
//!   than a window start or `SKIP LOCKED`).
//!
//! Files: [`ClusterOptions`] (`options.rs`), the tables (`schema.rs`), the claim and close
//! transactions (`claim.rs`), the heartbeat, takeover and wake-ups (`member.rs`), what
//! `tminus status` shows (`view.rs`).

mod options;
pub use options::ClusterOptions;

#[cfg(feature = "postgres")]
mod claim;
#[cfg(feature = "postgres")]
mod member;
#[cfg(feature = "postgres")]
mod schema;
mod view;

#[cfg(feature = "postgres")]
pub use claim::ClusterLog;
pub use view::{ClusterRun, ClusterView, Instance};
