//! Trie-level and commitment vectors from other implementations' tests (the source of each is
//! named beside it): node hashes, small tries, edge splits, deletions back to a smaller trie and
//! to empty, Poseidon (classes) tries, and a two-block state with contracts and classes.
use cairn_commitment::{
	hash::{Pedersen, Poseidon},
	node::{NodePath, TrieHash, TrieNode},
	state::{commit, MemoryStore, TrieStore},
	trie::{update, NodeSource, TrieError},
	CommitRequest, TrieId,
};
use cairn_primitives::starknet::Felt;

fn felt(hex: &str) -> Felt {
	Felt::from_hex(hex).unwrap()
}

struct One<'a>(&'a MemoryStore);

impl NodeSource for One<'_> {
	fn node(&self, path: &NodePath) -> Result<Option<TrieNode>, TrieError> {
		self.0.node(&TrieId::Contracts, path)
	}
}

/// Apply `changes` to the one trie of `store`; its new root.
fn apply<H: TrieHash>(store: &mut MemoryStore, changes: &[(&str, &str)]) -> Felt {
	let changes: Vec<(Felt, Felt)> = changes.iter().map(|(k, v)| (felt(k), felt(v))).collect();
	let root = store.root(&TrieId::Contracts).unwrap();
	let result = update::<H, _>(&One(store), root, &changes).unwrap();
	store.apply(&cairn_commitment::Commitment {
		nodes: result.writes.iter().map(|(p, n)| (TrieId::Contracts, *p, *n)).collect(),
		roots: vec![(TrieId::Contracts, result.root)],
		..Default::default()
	});
	result.root
}

fn trie_of<H: TrieHash>(changes: &[(&str, &str)]) -> Felt {
	apply::<H>(&mut MemoryStore::default(), changes)
}

// cairo-lang's nodes_test.py values, as Pathfinder (crates/merkle-tree/src/merkle_node.rs), the
// sequencer (crates/starknet_committer/src/hash_function/hash_test.rs) and Juno
// (core/trie/node_test.go) reuse them.
#[test]
fn node_hashes() {
	for (left, right, expected) in [
		("0x1", "0x2", "0x5bb9440e27889a364bcb678b1f679ecd1347acdedcbf36e83494f857cc58026"),
		("0xbe", "0xa0bee", "0x4e8f149d7d5adb77a8c85b631a3acb6fb9aa5ecb06ea4ec105753629243e380"),
		("0x1234", "0xabcd", "0x615bb8d47888d2987ad0c63fc06e9e771930986a4dd8adc55617febfcf3639e"),
	] {
		let node = TrieNode::Binary { left: felt(left), right: felt(right) };
		assert_eq!(node.hash::<Pedersen>(), felt(expected));
	}
	for (child, path, length, expected) in [
		("0x1", "0x2", 3, "0x5bb9440e27889a364bcb678b1f679ecd1347acdedcbf36e83494f857cc58029"),
		(
			"0xbe",
			"0xa0bee",
			187,
			"0x4e8f149d7d5adb77a8c85b631a3acb6fb9aa5ecb06ea4ec105753629243e43b",
		),
		(
			"0x1234abcd",
			"0x2a",
			6,
			"0x1d937094c09b5f8e26a662d21911871e3cbc6858d55cc49af9848ea6fed4e9",
		),
	] {
		let node = TrieNode::Edge { child: felt(child), path: felt(path), length };
		assert_eq!(node.hash::<Pedersen>(), felt(expected));
	}
}

// Juno, core/trie2/trie_test.go `TestHash` ("expected hashes are taken from Pathfinder's tests").
#[test]
fn small_tries() {
	assert_eq!(trie_of::<Pedersen>(&[]), Felt::ZERO);
	assert_eq!(
		trie_of::<Pedersen>(&[("0x1", "0x2")]),
		felt("0x2ab889bd35e684623df9b4ea4a4a1f6d9e0ef39b67c1293b8a89dd17e351330")
	);
	assert_eq!(
		trie_of::<Pedersen>(&[("0x0", "0x2"), ("0x1", "0x3")]),
		felt("0x79acdb7a3d78052114e21458e8c4aecb9d781ce79308193c61a2f3f84439f66")
	);
	assert_eq!(
		trie_of::<Pedersen>(&[("0x10", "0xa"), ("0x11", "0xb"), ("0x13", "0xc")]),
		felt("0x7e2184e9e1a651fd556b42b4ff10e44a71b1709f641e0203dc8bd2b528e5e81")
	);
	assert_eq!(
		trie_of::<Pedersen>(&[("0x0", "0x2"), ("0x1", "0x3"), ("0x3", "0x5")]),
		felt("0x6a316f09913454294c6b6751dea8449bc2e235fdc04b2ab0e1ac7fea25cc34f")
	);
	assert_eq!(
		trie_of::<Pedersen>(&[
			("0x0", "0xcc"),
			("0x7ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff", "0xdd"),
		]),
		felt("0x542ced3b6aeef48339129a03e051693eff6a566d3a0a94035fa16ab610dc9e2")
	);
}

// Pathfinder, crates/merkle-tree/src/tree.rs tests (`commit::…`).
#[test]
fn pathfinder_tries_with_edge_splits_and_deletions() {
	// One leaf, then deleted: root 0 and no node left.
	let mut store = MemoryStore::default();
	assert_eq!(
		apply::<Pedersen>(&mut store, &[("0x1", "0x1")]),
		felt("0x02ebbd6878f81e49560ae863bd4ef327a417037bf57b63a016130ad0a94c8fa7")
	);
	assert_eq!(apply::<Pedersen>(&mut store, &[("0x1", "0x0")]), Felt::ZERO);
	assert!(store.nodes.is_empty());
	// `simple`: a zero write is a no-op.
	assert_eq!(
		trie_of::<Pedersen>(&[("0x1", "0x0"), ("0x86", "0x1"), ("0x87", "0x2")]),
		felt("0x5458b9f8491e7c845bffa4cd36cdb3a7c29dcdf75f2809bd6f4ce65386facfc")
	);
	// `contract_edge_branches_correctly_on_insert` (Goerli genesis, checked against cairo-lang).
	assert_eq!(
		trie_of::<Pedersen>(&[
			("0x5", "0x66"),
			("0x1bf95d4b58f0741fea29f94ee5a118d0847c8b7ae0173c2a570c9f74cca9ea1", "0x7e5"),
			("0x3c75c20765d020b0ec41b48bb8c5338ac4b619fc950d59994e844e1e1b9d2a9", "0x7c7"),
			(
				"0x4065b936c56f5908a981084dafa66dc17600937dc80c52eeb834693bb811792",
				"0x7970c532b764bb36faf5696b8bc1317505b8a4dc9eee5df4994671757975e4d",
			),
			(
				"0x4b5fbb4904167e2e8195c35f7d4e78501a3fe95896794367c85b60b39aeffc2",
				"0x232c969eafc5b30c20648759d7fa1e2f4256ac6604e1921578101dce4dfdf48",
			),
		]),
		felt("0x6ee9a8202b40f3f76f1a132f953faa2df78b3b33ccb2b4406431abdc99c2dfe")
	);
	// `delete_leaf_regression`: four leaves committed, then one deleted in the next batch.
	let mut store = MemoryStore::default();
	apply::<Pedersen>(
		&mut store,
		&[
			(
				"0x1a2fd9b06eab5bca4d3885ee4c42736e835a57399ff8b7f6083a92fd2a20095",
				"0x215aa555e0ce3e462423d18b7216378d3ccd5d94d724ac7897fbc83faaa4ed4",
			),
			(
				"0x7ac69285b869dc3e8b305c748a0b867b2de3027aeceba51158eca3b7354d76f",
				"0x65c85592f29501d97a2ea1ccf2ba867e6a838d602f4e7a7391efcbf66958386",
			),
			(
				"0x5c71ab5ef6a5e9dbc7efd5c61554ab36039f60e5ba076833102e24344524566",
				"0x60970df8e8a19af3f41b78e93b845ec074a0aed4e96d18c6633580722b93a28",
			),
			("0x5", "0x22b"),
		],
	);
	assert_eq!(
		apply::<Pedersen>(&mut store, &[("0x5", "0x0")]),
		felt("0x5f3b2b98faef39c60dbbb459dbe63d1d10f1688af47fbc032f2cab025def896")
	);
}

// Poseidon tries: Pathfinder `commit::root_index_updates` (a class commitment tree, the leaf given
// as it is), and Madara's `test_class_trie_root` (madara/crates/client/db/src/rocksdb/global_trie/
// classes.rs; its inputs are above the field prime and reduced by its parser: the reduced values).
#[test]
fn poseidon_tries() {
	let mut store = MemoryStore::default();
	assert_eq!(
		apply::<Poseidon>(&mut store, &[("0xdeadbeef", "0xfeeddefeed")]),
		felt("0x00497f5ca0b5989a6fafa83ebc60c7427a78456d38ea716f8bbfa74972a39a7d")
	);
	assert_eq!(apply::<Poseidon>(&mut store, &[("0xdeadbeef", "0x0")]), Felt::ZERO);

	let request = CommitRequest {
		classes: vec![
			(
				felt("0x234567890abcdcd1234567890abcdef1234567890abcdef1234567890abcded"),
				felt("0x6dcba0987654112fedcba0987654321fedcba0987654321fedcba0987654302"),
			),
			(
				felt("0x3cdef123456772babcdef1234567890abcdef1234567890abcdef123456787b"),
				felt("0x234567890abcdcdfedcba09876543211234567890abcdeffedcba098765431f"),
			),
		],
		starknet_version: b"0.14.1".to_vec(),
		..Default::default()
	};
	let commitment = commit(&MemoryStore::default(), &request).unwrap();
	assert_eq!(
		commitment.classes_root,
		felt("0x9e521cb5e73189fe985db9dfd50b1dcdefc95ca4e1ebf23b0a4408a81bb610")
	);
}

// The sequencer's committer, crates/starknet_committer/src/block_committer/commit_test.rs
// (`EXPECTED_ROOTS_SIMPLE_CASE`): two blocks from an empty state, a class replacement, storage
// updates and a declared class.
#[test]
fn a_two_block_state_with_contracts_and_classes() {
	let (a, b) = (felt("0x1"), felt("0x10000000000000000000000000"));
	let mut store = MemoryStore::default();
	let first = CommitRequest {
		storage: vec![
			(a, vec![(felt("0x1"), felt("0x1")), (felt("0x2"), felt("0x2"))]),
			(b, vec![(felt("0x1"), felt("0x1")), (felt("0x2"), felt("0x2"))]),
		],
		contracts: vec![(a, felt("0x1"), Felt::ZERO), (b, felt("0x2"), Felt::ZERO)],
		classes: Vec::new(),
		starknet_version: b"0.14.1".to_vec(),
	};
	store.apply(&commit(&store, &first).unwrap());
	let second = CommitRequest {
		storage: vec![(b, vec![(felt("0x1"), felt("0x2")), (felt("0x2"), felt("0x4"))])],
		contracts: vec![(a, felt("0x2"), Felt::ZERO), (b, felt("0x2"), Felt::ZERO)],
		classes: vec![(felt("0x3"), felt("0x3"))],
		starknet_version: b"0.14.1".to_vec(),
	};
	let commitment = commit(&store, &second).unwrap();
	assert_eq!(
		commitment.contracts_root,
		felt("0x6a70cc05bcb982d269d9c7a66f92a5e9265c451871bc25487ca61c40e0f1829")
	);
	assert_eq!(
		commitment.classes_root,
		felt("0x7ae8007b033a1c032c6a791331f56a652833b0b25633587318276f4462c8c1c")
	);
}

// A 0.14 genesis-shaped state: system contract 0x2 with one storage cell and no class (Madara's
// `test_apply_to_global_trie_v0_14_genesis`, Pathfinder's
// `state_commitment_v0_14_with_zero_class_commitment`): the classes root is 0, and from 0.14 on
// the state root is the Poseidon hash all the same.
#[test]
fn a_contract_without_class_and_the_0_14_root() {
	let request = CommitRequest {
		storage: vec![(felt("0x2"), vec![(felt("0x0"), felt("0x80"))])],
		contracts: vec![(felt("0x2"), Felt::ZERO, Felt::ZERO)],
		classes: Vec::new(),
		starknet_version: b"0.14.0".to_vec(),
	};
	let commitment = commit(&MemoryStore::default(), &request).unwrap();
	assert_eq!(
		commitment.contracts_root,
		felt("0x3c538d437670f4c6f72dd799f215a007720ec7d19bc64195c96399145d8746f")
	);
	assert_eq!(commitment.classes_root, Felt::ZERO);
	assert_eq!(
		commitment.state_root,
		felt("0x68bcf9e9257ab6bffd9425833a208aaab6b85649fd21c787a546cb7cb9abf")
	);
}
