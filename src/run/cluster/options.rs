//! How an instance joins a cluster: its lease and its name.

use chrono::TimeDelta;

/// How a scheduler joins a cluster (the `[cluster]` table of a tasks file).
///
/// ```
/// use tminus::run::ClusterOptions;
///
/// let options = ClusterOptions::default();
/// assert_eq!(options.lease, chrono::TimeDelta::seconds(10));
/// assert_eq!(options.heartbeat(), chrono::TimeDelta::nanoseconds(3_333_333_333));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClusterOptions {
    /// How long an instance's lease lasts without a renewal; when it runs out, another
    /// instance records `crash` for the runs it left open. Default 10 seconds.
    pub lease: TimeDelta,
    /// The instance's name in the cluster (default `HOST:PID:XXXX`, `XXXX` random); after
    /// a lost lease it rejoins as `NAME#2`, `NAME#3`, ….
    pub instance: Option<String>,
}

impl Default for ClusterOptions {
    fn default() -> ClusterOptions {
        ClusterOptions {
            lease: TimeDelta::seconds(10),
            instance: None,
        }
    }
}

impl ClusterOptions {
    /// The shortest lease accepted: below it, a heartbeat cannot reliably reach the
    /// database in time on a loaded machine.
    pub const MIN_LEASE: TimeDelta = TimeDelta::seconds(1);

    /// How often the lease is renewed (and dead instances looked for): a third of the
    /// lease, so that two renewals can fail before it runs out.
    pub fn heartbeat(&self) -> TimeDelta {
        self.lease / 3
    }
}
