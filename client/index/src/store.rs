//! The index's own database: a ParityDB at `<chain data>/starknet/index`, apart from Substrate's,
//! as Frontier keeps its Ethereum mapping. Everything in it is derived from the chain, so losing it
//! loses nothing: a directory removed, or a database of another schema version, is started afresh
//! and rebuilt from the chain ([`crate::replay`]). Commits are atomic; they are not synced to disk
//! one by one (what a crash takes back is re-indexed at the next start).
use crate::{schema::SCHEMA_VERSION, Result};
use std::path::{Path, PathBuf};

/// The one column: keys carry their kind as a prefix ([`crate::schema`]).
const COLUMN: u8 = 0;
/// The key of the schema version (a little-endian `u32`).
const VERSION_KEY: &[u8] = b"cairn/starknet/schema-version";

/// The open index database.
pub struct IndexDb {
	db: parity_db::Db,
	path: PathBuf,
}

impl IndexDb {
	/// Opens (or creates) the index at `path`. A database written by an older schema is removed
	/// and created afresh, to be rebuilt; one written by a newer Cairn is refused, since this node
	/// cannot read it and removing it is the operator's call.
	pub fn open(path: &Path) -> Result<Self> {
		let found = Self::open_at(path)?;
		match found.version()? {
			Some(version) if version == SCHEMA_VERSION => Ok(found),
			Some(version) if version > SCHEMA_VERSION => Err(format!(
				"the Starknet index at {} has schema version {version}, newer than this node's \
				 ({SCHEMA_VERSION}): run the newer Cairn, or remove the directory to rebuild the \
				 index from the chain",
				path.display()
			)),
			found_version => {
				if let Some(version) = found_version {
					log::info!(
						target: "starknet-index",
						"the Starknet index at {} has schema version {version}, older than \
						 {SCHEMA_VERSION}: rebuilding it from the chain",
						path.display()
					);
				}
				drop(found);
				if path.exists() {
					std::fs::remove_dir_all(path)
						.map_err(|e| format!("cannot remove {}: {e}", path.display()))?;
				}
				let fresh = Self::open_at(path)?;
				fresh.commit(vec![(
					VERSION_KEY.to_vec(),
					Some(SCHEMA_VERSION.to_le_bytes().to_vec()),
				)])?;
				Ok(fresh)
			}
		}
	}

	fn open_at(path: &Path) -> Result<Self> {
		std::fs::create_dir_all(path)
			.map_err(|e| format!("cannot create {}: {e}", path.display()))?;
		let mut options = parity_db::Options::with_columns(path, 1);
		// Derived data: a commit lost to a crash is indexed again at the next start.
		options.sync_wal = false;
		options.sync_data = false;
		let db = parity_db::Db::open_or_create(&options)
			.map_err(|e| format!("cannot open the Starknet index at {}: {e}", path.display()))?;
		Ok(IndexDb { db, path: path.to_path_buf() })
	}

	/// The schema version the database was written with (none: a database just created).
	pub fn version(&self) -> Result<Option<u32>> {
		let Some(bytes) = self.get(VERSION_KEY)? else { return Ok(None) };
		let bytes: [u8; 4] = bytes[..]
			.try_into()
			.map_err(|_| format!("corrupt schema version in {}", self.path.display()))?;
		Ok(Some(u32::from_le_bytes(bytes)))
	}

	/// The value under `key`.
	pub fn get(&self, key: &[u8]) -> Result<Option<Vec<u8>>> {
		self.db.get(COLUMN, key).map_err(|e| format!("Starknet index: {e}"))
	}

	/// Writes (`Some`) and deletes (`None`) in one atomic commit.
	pub fn commit(&self, changes: Vec<(Vec<u8>, Option<Vec<u8>>)>) -> Result<()> {
		self.db
			.commit(changes.into_iter().map(|(key, value)| (COLUMN, key, value)))
			.map_err(|e| format!("Starknet index: {e}"))
	}
}
