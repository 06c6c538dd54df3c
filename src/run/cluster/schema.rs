//! The cluster's tables beside a log table `T`: `T_instances` (leases) and `T_claims`
//! (one row per launch), the notification channel, and the advisory locks.

use crate::history::LogError;
use postgres::GenericClient;

/// First key of the advisory lock that orders writes to the log table (`tm`).
const WRITE_LOCK: i32 = 0x746d;
/// First key of the advisory lock held while an instance joins (creating tables, reading
/// who else is there, registering): the one plain logs create their table under.
const JOIN_LOCK: i32 = crate::history::postgres::DDL_LOCK;

/// The names a cluster on one log table uses.
#[derive(Clone, Debug)]
pub(crate) struct Tables {
    /// The log table, qualified (`schema.T` or `T`).
    pub log: String,
    pub instances: String,
    pub claims: String,
    /// The `LISTEN`/`NOTIFY` channel.
    pub channel: String,
}

impl Tables {
    pub fn new(schema: Option<&str>, table: &str) -> Tables {
        let q = |name: &str| crate::history::postgres::qualified(schema, name);
        let mut channel = format!("tminus_{}_{table}", schema.unwrap_or("public"));
        channel.truncate(63);
        Tables {
            log: q(table),
            instances: q(&format!("{table}_instances")),
            claims: q(&format!("{table}_claims")),
            channel: channel.to_lowercase(),
        }
    }

    /// A PostgreSQL error on the server at `url`, naming the log table.
    pub fn error(&self, url: &str, e: &postgres::Error) -> LogError {
        LogError::new(format!(
            "{url} ({}): {}",
            self.log,
            crate::history::postgres::reason(e)
        ))
    }

    /// Creates the cluster's tables when missing.
    pub fn create(&self, client: &mut impl GenericClient) -> Result<(), LogError> {
        let index = format!(
            "{}_open",
            self.claims.rsplit('.').next().unwrap_or("claims")
        );
        let sql = format!(
            "CREATE TABLE IF NOT EXISTS {instances} (
                id TEXT PRIMARY KEY,
                host TEXT NOT NULL,
                pid BIGINT NOT NULL,
                started TIMESTAMPTZ NOT NULL,
                renewed TIMESTAMPTZ NOT NULL,
                expires TIMESTAMPTZ NOT NULL);
             CREATE TABLE IF NOT EXISTS {claims} (
                task_name TEXT NOT NULL,
                after_run BIGINT NOT NULL,
                run BIGINT,
                instance TEXT NOT NULL,
                run_start DOUBLE PRECISION NOT NULL,
                claimed TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
                state TEXT NOT NULL DEFAULT 'open',
                closed TIMESTAMPTZ,
                closed_by TEXT,
                late_action TEXT,
                late_at DOUBLE PRECISION,
                late_message TEXT,
                PRIMARY KEY (task_name, after_run));
             CREATE INDEX IF NOT EXISTS {index} ON {claims} (instance) WHERE state = 'open';",
            instances = self.instances,
            claims = self.claims,
        );
        client.batch_execute(&sql).map_err(|e| {
            LogError::new(format!(
                "PostgreSQL log {}: {}",
                self.log,
                crate::history::postgres::reason(&e)
            ))
        })
    }

    /// Takes the lock that orders writes to the log table until the transaction ends:
    /// with every writer taking it before its insert, ids are handed out in commit order,
    /// so a reader that has seen id `n` has seen every record below it.
    pub fn lock_writes(&self, client: &mut impl GenericClient) -> Result<(), postgres::Error> {
        client
            .execute(
                "SELECT pg_advisory_xact_lock($1, hashtext($2))",
                &[&WRITE_LOCK, &self.log],
            )
            .map(drop)
    }

    /// The database's clock now. Taken after [`Tables::lock_writes`], it stamps records
    /// in the order they are committed, whichever instance writes them.
    pub fn stamp(
        &self,
        client: &mut impl GenericClient,
    ) -> Result<chrono::DateTime<chrono::Utc>, postgres::Error> {
        let row = client.query_one("SELECT extract(epoch FROM clock_timestamp())::float8", &[])?;
        Ok(super::member::instant(row.get(0)))
    }

    /// Holds (`true`) or releases (`false`) the session lock under which instances join
    /// one at a time.
    pub fn join_lock(
        &self,
        client: &mut impl GenericClient,
        hold: bool,
    ) -> Result<(), postgres::Error> {
        let sql = match hold {
            true => "SELECT pg_advisory_lock($1, hashtext($2))",
            false => "SELECT pg_advisory_unlock($1, hashtext($2))",
        };
        client.execute(sql, &[&JOIN_LOCK, &self.log]).map(drop)
    }

    /// Tells listening instances that `instance` wrote to the log (delivered at commit).
    pub fn notify(
        &self,
        client: &mut impl GenericClient,
        instance: &str,
    ) -> Result<(), postgres::Error> {
        client
            .execute("SELECT pg_notify($1, $2)", &[&self.channel, &instance])
            .map(drop)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_the_log_table() {
        let t = Tables::new(Some("ops"), "log");
        assert_eq!(t.instances, "ops.log_instances");
        assert_eq!(t.claims, "ops.log_claims");
        assert_eq!(t.channel, "tminus_ops_log");
        assert_eq!(Tables::new(None, "tasks").channel, "tminus_public_tasks");
    }
}
