//! The journal on real files: what is acknowledged survives reopening, what is forgotten does
//! not, a torn or corrupt tail loses only itself, compaction keeps the file small, and
//! concurrent acknowledgements all land.
use cairn_pool_journal::{record::Record, Journal};
use std::{fs::OpenOptions, io::Write, sync::Arc};

fn key(i: u32) -> Vec<u8> {
	let mut key = vec![0u8; 32];
	key[..4].copy_from_slice(&i.to_be_bytes());
	key
}

fn payload(i: u32) -> Vec<u8> {
	format!("transaction {i}").repeat(1 + i as usize % 7).into_bytes()
}

#[test]
fn acknowledged_entries_survive_reopening_in_order_and_forgotten_ones_do_not() {
	let dir = tempfile::tempdir().unwrap();
	let path = dir.path().join("journal");
	let (journal, entries) = Journal::open(&path).unwrap();
	assert!(entries.is_empty());
	for i in 0..10 {
		journal.acknowledge(&key(i), &payload(i)).unwrap();
	}
	// Again: nothing changes.
	journal.acknowledge(&key(3), b"other").unwrap();
	for i in [0, 4, 9] {
		journal.forget(&key(i)).unwrap();
	}
	journal.forget(&key(100)).unwrap();
	assert_eq!(journal.len(), 7);
	drop(journal);

	let (journal, entries) = Journal::open(&path).unwrap();
	let expected: Vec<_> =
		[1, 2, 3, 5, 6, 7, 8].into_iter().map(|i| (key(i), payload(i))).collect();
	assert_eq!(entries, expected);
	assert_eq!(journal.len(), 7);
	// Reopening rewrote the file with the live entries only.
	let live: u64 = expected.iter().map(|(k, p)| (8 + 2 + k.len() + p.len()) as u64).sum();
	assert_eq!(std::fs::metadata(&path).unwrap().len(), live);
	// A key forgotten before may be acknowledged again (a transaction resubmitted).
	journal.acknowledge(&key(0), &payload(0)).unwrap();
	drop(journal);
	let (_, entries) = Journal::open(&path).unwrap();
	assert_eq!(entries.last().unwrap(), &(key(0), payload(0)));
	assert_eq!(entries.len(), 8);
}

#[test]
fn a_torn_last_record_loses_only_itself_and_appends_after_it_are_read() {
	let dir = tempfile::tempdir().unwrap();
	let path = dir.path().join("journal");
	let (journal, _) = Journal::open(&path).unwrap();
	for i in 0..5 {
		journal.acknowledge(&key(i), &payload(i)).unwrap();
	}
	drop(journal);
	// A crash in the middle of writing the sixth record: half of it reached the file.
	let sixth = Record::Acknowledged { key: key(5), payload: payload(5) }.encode();
	let mut file = OpenOptions::new().append(true).open(&path).unwrap();
	file.write_all(&sixth[..sixth.len() / 2]).unwrap();
	drop(file);

	let (journal, entries) = Journal::open(&path).unwrap();
	assert_eq!(entries.len(), 5);
	// The torn bytes are gone from the file, so what is written now is read back.
	journal.acknowledge(&key(6), &payload(6)).unwrap();
	drop(journal);
	let (_, entries) = Journal::open(&path).unwrap();
	let keys: Vec<_> = entries.iter().map(|(k, _)| k.clone()).collect();
	assert_eq!(keys, [0, 1, 2, 3, 4, 6].map(key));
}

#[test]
fn corrupt_or_garbage_bytes_end_the_journal_there_without_a_panic() {
	let dir = tempfile::tempdir().unwrap();
	let path = dir.path().join("journal");
	let (journal, _) = Journal::open(&path).unwrap();
	for i in 0..4 {
		journal.acknowledge(&key(i), &payload(i)).unwrap();
	}
	drop(journal);
	// Flip a byte of the third record's payload: its checksum fails; the fourth, after it, is
	// unreachable (lengths cannot be trusted past a bad record).
	let mut bytes = std::fs::read(&path).unwrap();
	let third = [0, 1].iter().map(|&i| 8 + 2 + 32 + payload(i).len()).sum::<usize>();
	bytes[third + 8 + 2 + 32] ^= 0xff;
	std::fs::write(&path, &bytes).unwrap();
	let (_, entries) = Journal::open(&path).unwrap();
	assert_eq!(entries.iter().map(|(k, _)| k.clone()).collect::<Vec<_>>(), [0, 1].map(key));

	// A length of 4 GiB, and random bytes: read as nothing, allocating nothing of that size.
	std::fs::write(&path, [0xff, 0xff, 0xff, 0xff, 1, 2, 3, 4, 5]).unwrap();
	assert!(Journal::open(&path).unwrap().1.is_empty());
	let noise: Vec<u8> =
		(0..10_000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
	std::fs::write(&path, &noise).unwrap();
	assert!(Journal::open(&path).unwrap().1.is_empty());
}

#[test]
fn the_file_stays_small_as_entries_come_and_go() {
	let dir = tempfile::tempdir().unwrap();
	let path = dir.path().join("journal");
	let (journal, _) = Journal::open(&path).unwrap();
	let big = vec![7u8; 64 << 10];
	// 1,000 transactions of 64 KiB pass through, at most 10 at a time: 64 MiB acknowledged.
	for i in 0..1_000u32 {
		journal.acknowledge(&key(i), &big).unwrap();
		if i >= 10 {
			journal.forget(&key(i - 10)).unwrap();
		}
		assert!(journal.file_len() < 10 << 20, "{} bytes at {i}", journal.file_len());
	}
	assert_eq!(journal.len(), 10);
	drop(journal);
	let (_, entries) = Journal::open(&path).unwrap();
	assert_eq!(
		entries.iter().map(|(k, _)| k.clone()).collect::<Vec<_>>(),
		(990..1000).map(key).collect::<Vec<_>>()
	);
}

#[test]
fn concurrent_acknowledgements_all_land() {
	let dir = tempfile::tempdir().unwrap();
	let path = dir.path().join("journal");
	let (journal, _) = Journal::open(&path).unwrap();
	let journal = Arc::new(journal);
	let threads: Vec<_> = (0..8u32)
		.map(|t| {
			let journal = journal.clone();
			std::thread::spawn(move || {
				for i in 0..200 {
					let n = t * 1_000 + i;
					journal.acknowledge(&key(n), &payload(n)).unwrap();
					if i % 3 == 0 {
						journal.forget(&key(n)).unwrap();
					}
				}
			})
		})
		.collect();
	for thread in threads {
		thread.join().unwrap();
	}
	drop(journal);
	let (_, entries) = Journal::open(&path).unwrap();
	let mut keys: Vec<_> = entries.into_iter().map(|(k, _)| k).collect();
	keys.sort();
	let mut expected: Vec<_> = (0..8u32)
		.flat_map(|t| (0..200).filter(|i| i % 3 != 0).map(move |i| key(t * 1_000 + i)))
		.collect();
	expected.sort();
	assert_eq!(keys, expected);
}
