//! # cairn-pool-journal
//!
//! The pool journal: every transaction a node has acknowledged — handed its hash to a client —
//! and not yet seen finalized or refused, on disk, so that a crash or a power loss loses none of
//! them. geth keeps such a journal of its local transactions; a sequencer that hands out hashes
//! needs one, since Substrate's pool lives in memory.
//!
//! [`Journal::acknowledge`] appends a record and returns once the file's data is on the device
//! (`fdatasync`): call it before the hash is returned. Concurrent acknowledgements share one
//! sync (group commit), so under load the cost per transaction falls. [`Journal::forget`]
//! appends a removal without syncing: a lost removal only replays a transaction that the pool
//! then refuses as already included. [`Journal::open`] reads the file back (stopping at a torn or
//! corrupt record: see [`record`]), rewrites it with the live entries only and returns them in
//! the order they were acknowledged, for the node to submit again. The file is rewritten the same
//! way whenever removed records outweigh the live ones.
//!
//! What is journaled is opaque here: a key (the pool's hash of the transaction) and the payload
//! replaying needs. Which transactions are journaled and when they are forgotten is the node's
//! business (`cairn-rpc`: those acknowledged over the Starknet RPC, until finalized or refused).
pub mod record;

use record::Record;
use std::{
	collections::{BTreeMap, HashMap},
	fs::{File, OpenOptions},
	io::{self, Write},
	path::{Path, PathBuf},
	sync::{
		atomic::{AtomicU64, Ordering},
		Mutex, MutexGuard,
	},
};

/// Removed records are compacted away once they weigh more than the live ones and this much.
const COMPACT_AT_LEAST: u64 = 4 << 20;

/// The journal of one node (one file, in its chain's data directory).
pub struct Journal {
	path: PathBuf,
	state: Mutex<State>,
	synced: Mutex<Synced>,
	/// Bytes appended to the current file; changed under `state`, and by compaction under both
	/// locks.
	written: AtomicU64,
}

struct State {
	file: File,
	len: u64,
	generation: u64,
	next: u64,
	/// Live entries in acknowledgement order, and by key.
	order: BTreeMap<u64, Vec<u8>>,
	live: HashMap<Vec<u8>, (u64, Vec<u8>)>,
	live_bytes: u64,
	garbage: u64,
}

struct Synced {
	file: File,
	generation: u64,
	up_to: u64,
}

/// An entry the journal holds: the key and payload given to [`Journal::acknowledge`].
pub type Entry = (Vec<u8>, Vec<u8>);

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
	mutex.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Journal {
	/// Opens (or creates) the journal at `path`: the entries it holds, oldest first, with the file
	/// rewritten to hold just them.
	pub fn open(path: impl AsRef<Path>) -> io::Result<(Journal, Vec<Entry>)> {
		let path = path.as_ref().to_path_buf();
		let bytes = match std::fs::read(&path) {
			Ok(bytes) => bytes,
			Err(e) if e.kind() == io::ErrorKind::NotFound => Vec::new(),
			Err(e) => return Err(e),
		};
		let mut entries: BTreeMap<u64, Entry> = BTreeMap::new();
		let mut by_key: HashMap<Vec<u8>, u64> = HashMap::new();
		let mut at = 0;
		let mut next = 0;
		while let Some((record, length)) = Record::decode(&bytes[at..]) {
			at += length;
			match record {
				Record::Acknowledged { key, payload } => {
					if !by_key.contains_key(&key) {
						by_key.insert(key.clone(), next);
						entries.insert(next, (key, payload));
						next += 1;
					}
				}
				Record::Forgotten { key } => {
					if let Some(seq) = by_key.remove(&key) {
						entries.remove(&seq);
					}
				}
			}
		}
		if at < bytes.len() {
			log::warn!(
				target: "pool-journal",
				"{}: {} bytes after offset {at} are a torn or corrupt record (a crash mid-write); \
				 ignored",
				path.display(),
				bytes.len() - at
			);
		}
		let entries: Vec<Entry> = entries.into_values().collect();
		let file = write_afresh(&path, &entries)?;
		let len = file.metadata()?.len();
		let mut state = State {
			file: file.try_clone()?,
			len,
			generation: 0,
			next: 0,
			order: BTreeMap::new(),
			live: HashMap::new(),
			live_bytes: 0,
			garbage: 0,
		};
		for (key, payload) in &entries {
			state.insert(key.clone(), payload.clone());
		}
		let journal = Journal {
			path,
			state: Mutex::new(state),
			synced: Mutex::new(Synced { file, generation: 0, up_to: len }),
			written: AtomicU64::new(len),
		};
		Ok((journal, entries))
	}

	/// Records that the transaction `key` was acknowledged, with what replaying it needs; returns
	/// once the record is on the device. Acknowledging a key the journal holds does nothing.
	pub fn acknowledge(&self, key: &[u8], payload: &[u8]) -> io::Result<()> {
		let (end, generation) = {
			let mut state = lock(&self.state);
			if state.live.contains_key(key) {
				return Ok(());
			}
			let record = Record::Acknowledged { key: key.to_vec(), payload: payload.to_vec() };
			state.append(&record.encode())?;
			state.insert(key.to_vec(), payload.to_vec());
			self.written.store(state.len, Ordering::Release);
			(state.len, state.generation)
		};
		let mut synced = lock(&self.synced);
		// A compaction since then rewrote the file, synced, with this record in it (or without
		// it, if it was forgotten meanwhile); another caller's sync may have covered it too.
		if synced.generation != generation || synced.up_to >= end {
			return Ok(());
		}
		let target = self.written.load(Ordering::Acquire);
		synced.file.sync_data()?;
		synced.up_to = target;
		Ok(())
	}

	/// Records that the transaction `key` needs no replay any more (finalized, or refused).
	/// Forgetting a key the journal does not hold does nothing.
	pub fn forget(&self, key: &[u8]) -> io::Result<()> {
		let mut state = lock(&self.state);
		let Some((seq, payload)) = state.live.remove(key) else { return Ok(()) };
		state.order.remove(&seq);
		let acknowledged = (record::HEADER + 2 + key.len() + payload.len()) as u64;
		state.live_bytes -= acknowledged;
		let record = Record::Forgotten { key: key.to_vec() }.encode();
		state.append(&record)?;
		state.garbage += acknowledged + record.len() as u64;
		self.written.store(state.len, Ordering::Release);
		if state.garbage > COMPACT_AT_LEAST && state.garbage > state.live_bytes {
			self.compact(&mut state)?;
		}
		Ok(())
	}

	/// How many transactions the journal holds.
	pub fn len(&self) -> usize {
		lock(&self.state).live.len()
	}

	/// Whether the journal holds none.
	pub fn is_empty(&self) -> bool {
		self.len() == 0
	}

	/// The journal's file.
	pub fn path(&self) -> &Path {
		&self.path
	}

	/// The size of the journal's file.
	pub fn file_len(&self) -> u64 {
		lock(&self.state).len
	}

	fn compact(&self, state: &mut State) -> io::Result<()> {
		let entries: Vec<Entry> =
			state.order.values().map(|key| (key.clone(), state.live[key].1.clone())).collect();
		let file = write_afresh(&self.path, &entries)?;
		let len = file.metadata()?.len();
		let mut synced = lock(&self.synced);
		state.file = file.try_clone()?;
		state.len = len;
		state.generation += 1;
		state.garbage = 0;
		*synced = Synced { file, generation: state.generation, up_to: len };
		self.written.store(len, Ordering::Release);
		Ok(())
	}
}

impl State {
	fn insert(&mut self, key: Vec<u8>, payload: Vec<u8>) {
		let seq = self.next;
		self.next += 1;
		self.live_bytes += (record::HEADER + 2 + key.len() + payload.len()) as u64;
		self.order.insert(seq, key.clone());
		self.live.insert(key, (seq, payload));
	}

	/// Appends `bytes`; a failed write is cut off again, so that no torn record sits before the
	/// ones written after it.
	fn append(&mut self, bytes: &[u8]) -> io::Result<()> {
		if let Err(e) = self.file.write_all(bytes) {
			self.file.set_len(self.len)?;
			return Err(e);
		}
		self.len += bytes.len() as u64;
		Ok(())
	}
}

/// A new file at `path` holding `entries`, on the device (written beside it, synced, renamed
/// over it, the directory synced), opened for appending.
fn write_afresh(path: &Path, entries: &[Entry]) -> io::Result<File> {
	let fresh = path.with_extension("rewrite");
	{
		let mut file = File::create(&fresh)?;
		let mut bytes = Vec::new();
		for (key, payload) in entries {
			bytes.extend(
				Record::Acknowledged { key: key.clone(), payload: payload.clone() }.encode(),
			);
		}
		file.write_all(&bytes)?;
		file.sync_all()?;
	}
	std::fs::rename(&fresh, path)?;
	if let Some(dir) = path.parent() {
		File::open(if dir.as_os_str().is_empty() { Path::new(".") } else { dir })?.sync_all()?;
	}
	OpenOptions::new().append(true).open(path)
}
