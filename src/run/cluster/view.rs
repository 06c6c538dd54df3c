//! What `tminus status` shows of a cluster: the instances with their leases, and which
//! instance runs what.

use chrono::{DateTime, Utc};

/// An instance registered in a cluster.
#[derive(Clone, Debug, PartialEq)]
pub struct Instance {
    /// Its name (`HOST:PID:XXXX` unless given).
    pub id: String,
    /// When it joined.
    pub started: DateTime<Utc>,
    /// Its latest heartbeat.
    pub renewed: DateTime<Utc>,
    /// When its lease runs out without another heartbeat.
    pub expires: DateTime<Utc>,
    /// Whether the lease is still live (on the database's clock); an instance whose lease
    /// ran out is taken over at the next heartbeat of a live one.
    pub alive: bool,
}

/// A run an instance launched and has not closed.
#[derive(Clone, Debug, PartialEq)]
pub struct ClusterRun {
    /// The task.
    pub task: String,
    /// The instance that runs it.
    pub instance: String,
    /// When it started.
    pub start: DateTime<Utc>,
}

/// A cluster as its tables tell it, read without joining it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ClusterView {
    /// The registered instances, oldest first.
    pub instances: Vec<Instance>,
    /// The open runs, oldest first.
    pub runs: Vec<ClusterRun>,
}

impl ClusterView {
    /// Reads the cluster of the PostgreSQL log `url`; `Ok(None)` when the URL is not
    /// PostgreSQL's or no instance ever joined (no cluster tables).
    #[cfg(feature = "postgres")]
    pub fn read(
        url: &crate::history::LogUrl,
    ) -> Result<Option<ClusterView>, crate::history::LogError> {
        use super::member::instant;
        use super::schema::Tables;
        use crate::history::LogUrl;
        use postgres::{Client, NoTls};
        let LogUrl::Postgres { url, schema, table } = url else {
            return Ok(None);
        };
        let tables = Tables::new(schema.as_deref(), table);
        let error = |e: postgres::Error| tables.error(url, &e);
        let mut client = Client::connect(url, NoTls).map_err(error)?;
        let exists: Option<String> = client
            .query_one("SELECT to_regclass($1)::text", &[&tables.claims])
            .map_err(error)?
            .get(0);
        if exists.is_none() {
            return Ok(None);
        }
        let instances = client
            .query(
                &format!(
                    "SELECT id, extract(epoch FROM started)::float8, \
                     extract(epoch FROM renewed)::float8, extract(epoch FROM expires)::float8, \
                     expires > clock_timestamp() FROM {} ORDER BY started, id",
                    tables.instances
                ),
                &[],
            )
            .map_err(error)?
            .iter()
            .map(|r| Instance {
                id: r.get(0),
                started: instant(r.get(1)),
                renewed: instant(r.get(2)),
                expires: instant(r.get(3)),
                alive: r.get(4),
            })
            .collect();
        let runs = client
            .query(
                &format!(
                    "SELECT task_name, instance, run_start FROM {} WHERE state = 'open' \
                     ORDER BY run_start, task_name",
                    tables.claims
                ),
                &[],
            )
            .map_err(error)?
            .iter()
            .map(|r| ClusterRun {
                task: r.get(0),
                instance: r.get(1),
                start: instant(r.get(2)),
            })
            .collect();
        Ok(Some(ClusterView { instances, runs }))
    }

    /// The instances running `task` now.
    pub fn running(&self, task: &str) -> Vec<&str> {
        self.runs
            .iter()
            .filter(|r| r.task == task)
            .map(|r| r.instance.as_str())
            .collect()
    }
}
