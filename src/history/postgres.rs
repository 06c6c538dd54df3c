//! The PostgreSQL task log: the layout of the SQLite one, on a server.

use super::log::{LogError, TaskLog};
use super::record::{self, LogRecord, COLUMNS};
use postgres::{Client, GenericClient, NoTls};

/// A table of a PostgreSQL database (`BIGSERIAL` key `id`, then the columns of
/// [`LogRecord`], instants as POSIX seconds in `DOUBLE PRECISION`), created with its schema
/// when missing. Several schedulers may write one table: [`TaskLog::fetch_new`] returns
/// the records the others appended since the last look.
pub struct PostgresLog {
    client: Client,
    table: LogTable,
    /// The highest `id` read so far, and the ids this log wrote above it.
    seen: i64,
    own: Vec<i64>,
}

/// The log table itself, apart from the connection: how to write and read its rows on
/// any client (a plain connection or a transaction, as the cluster's claims need).
#[derive(Debug, Clone)]
pub(crate) struct LogTable {
    /// `schema.table` or `table`, ready to paste into SQL.
    pub(crate) name: String,
    /// The columns of [`COLUMNS`] the table has, by index.
    columns: Vec<usize>,
    insert: String,
}

impl std::fmt::Debug for PostgresLog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PostgresLog")
            .field("table", &self.table.name)
            .finish_non_exhaustive()
    }
}

impl PostgresLog {
    /// Connects to `url` and opens (creating when missing) `table` in `schema`.
    pub fn open(url: &str, schema: Option<&str>, table: &str) -> Result<PostgresLog, LogError> {
        let mut client = Client::connect(url, NoTls).map_err(|e| {
            LogError::new(format!(
                "{url} ({}): {}",
                qualified(schema, table),
                reason(&e)
            ))
        })?;
        let table = LogTable::open(&mut client, url, schema, table)?;
        Ok(PostgresLog {
            client,
            table,
            seen: 0,
            own: Vec::new(),
        })
    }
}

/// What went wrong, with the server's own message when it sent one (the client's
/// `Display` says only "db error").
pub(crate) fn reason(e: &postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => match db.detail() {
            Some(detail) => format!("{}: {} ({detail})", db.severity(), db.message()),
            None => format!("{}: {}", db.severity(), db.message()),
        },
        None => e.to_string(),
    }
}

/// First key of the advisory lock under which tables of one log are created (and, in a
/// cluster, instances join); the second is the hash of the qualified table name.
pub(crate) const DDL_LOCK: i32 = 0x746e;

/// `schema.table`, or `table` alone.
pub(crate) fn qualified(schema: Option<&str>, table: &str) -> String {
    match schema {
        Some(schema) => format!("{schema}.{table}"),
        None => table.to_owned(),
    }
}

impl LogTable {
    /// Opens (creating when missing) `table` in `schema` on `client`, connected to `url`.
    pub(crate) fn open(
        client: &mut Client,
        url: &str,
        schema: Option<&str>,
        table: &str,
    ) -> Result<LogTable, LogError> {
        let name = qualified(schema, table);
        let error = |e: postgres::Error| LogError::new(format!("{url} ({name}): {}", reason(&e)));
        // Schedulers starting together would race on `CREATE … IF NOT EXISTS` (which can
        // fail with a duplicate key in the catalog): one at a time.
        let mut tx = client.transaction().map_err(error)?;
        tx.execute(
            "SELECT pg_advisory_xact_lock($1, hashtext($2))",
            &[&DDL_LOCK, &name],
        )
        .map_err(error)?;
        if let Some(schema) = schema {
            tx.batch_execute(&format!("CREATE SCHEMA IF NOT EXISTS {schema}"))
                .map_err(error)?;
        }
        tx.batch_execute(&format!(
            "CREATE TABLE IF NOT EXISTS {name} (id BIGSERIAL PRIMARY KEY, \
             task_name TEXT NOT NULL, action TEXT NOT NULL, created DOUBLE PRECISION NOT NULL, \
             start DOUBLE PRECISION, \"end\" DOUBLE PRECISION, runtime DOUBLE PRECISION, \
             message TEXT, exc_text TEXT)"
        ))
        .map_err(error)?;
        let rows = tx
            .query(
                "SELECT column_name::text FROM information_schema.columns \
                 WHERE table_name = $1 AND table_schema = COALESCE($2, current_schema())",
                &[&table, &schema],
            )
            .map_err(error)?;
        tx.commit().map_err(error)?;
        let names: Vec<String> = rows.iter().map(|r| r.get(0)).collect();
        let columns = record::table_columns(&names).filter(|_| names.iter().any(|n| n == "id"));
        let Some(columns) = columns else {
            return Err(LogError::new(format!(
                "{url}: table `{name}` is not a task log: it needs the columns id, task_name, \
                 action and created"
            )));
        };
        let insert = record::insert_sql(&name, &columns, '$') + " RETURNING id";
        Ok(LogTable {
            name,
            columns,
            insert,
        })
    }

    pub(crate) fn error(&self, e: postgres::Error) -> LogError {
        LogError::new(format!("PostgreSQL log {}: {}", self.name, reason(&e)))
    }

    /// Inserts `record`; its `id`.
    pub(crate) fn insert(
        &self,
        client: &mut impl GenericClient,
        record: &LogRecord,
    ) -> Result<i64, LogError> {
        let created = record.created_seconds();
        let start = record.start.map(record::seconds);
        let end = record.end.map(record::seconds);
        let runtime = record.runtime.map(record::duration_seconds);
        let action = record.action.as_str();
        let values: [&(dyn postgres::types::ToSql + Sync); 8] = [
            &record.task_name,
            &action,
            &created,
            &start,
            &end,
            &runtime,
            &record.message,
            &record.exc_text,
        ];
        let params: Vec<&(dyn postgres::types::ToSql + Sync)> =
            self.columns.iter().map(|&i| values[i]).collect();
        let row = client
            .query_one(&self.insert, &params)
            .map_err(|e| self.error(e))?;
        Ok(row.get(0))
    }

    /// The records with an id above `after`, in id order, and the highest id.
    pub(crate) fn read_after(
        &self,
        client: &mut impl GenericClient,
        after: i64,
    ) -> Result<(Vec<(i64, LogRecord)>, i64), LogError> {
        let quoted: Vec<String> = self
            .columns
            .iter()
            .map(|&i| match i {
                2..=5 => format!("\"{}\"::float8", COLUMNS[i]),
                _ => format!("\"{}\"", COLUMNS[i]),
            })
            .collect();
        let sql = format!(
            "SELECT id, {} FROM {} WHERE id > $1 ORDER BY id",
            quoted.join(", "),
            self.name
        );
        let rows = client.query(&sql, &[&after]).map_err(|e| self.error(e))?;
        let mut records = Vec::with_capacity(rows.len());
        let mut last = after;
        for row in rows {
            let id: i64 = row.get(0);
            last = last.max(id);
            let mut texts: [Option<String>; 8] = Default::default();
            for (at, &column) in self.columns.iter().enumerate() {
                texts[column] = match column {
                    2..=5 => row
                        .try_get::<_, Option<f64>>(at + 1)
                        .map_err(|e| self.error(e))?
                        .map(record::python_float),
                    _ => row
                        .try_get::<_, Option<String>>(at + 1)
                        .map_err(|e| self.error(e))?,
                };
            }
            let fields: [Option<&str>; 8] = std::array::from_fn(|i| texts[i].as_deref());
            let record = super::rocketry_csv::parse_fields(&fields).map_err(|why| {
                LogError::new(format!("PostgreSQL log {}, id {id}: {why}", self.name))
            })?;
            records.push((id, record));
        }
        Ok((records, last))
    }
}

impl TaskLog for PostgresLog {
    fn read(&mut self) -> Result<Vec<LogRecord>, LogError> {
        let (records, last) = self.table.read_after(&mut self.client, 0)?;
        self.seen = last;
        self.own.clear();
        Ok(records.into_iter().map(|(_, r)| r).collect())
    }

    fn append(&mut self, record: &LogRecord) -> Result<(), LogError> {
        let id = self.table.insert(&mut self.client, record)?;
        self.own.push(id);
        Ok(())
    }

    fn fetch_new(&mut self) -> Result<Vec<LogRecord>, LogError> {
        let (records, last) = self.table.read_after(&mut self.client, self.seen)?;
        let own = std::mem::take(&mut self.own);
        self.seen = last;
        Ok(records
            .into_iter()
            .filter(|(id, _)| !own.contains(id))
            .map(|(_, r)| r)
            .collect())
    }
}
