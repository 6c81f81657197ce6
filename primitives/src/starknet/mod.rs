//! Starknet types as they cross the runtime/node boundary: SCALE-encoded, `no_std`, with type
//! information for metadata. The node converts each losslessly to and from its `starknet_api`
//! counterpart and hashes transactions with `starknet_api` (`cairn-executor`'s `convert`).
//!
//! Only what a Cairn chain accepts is modelled: V3 invoke, declare and deploy-account
//! transactions, and L1 handler transactions.
use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode, Error as CodecError, Input, MaxEncodedLen};
use scale_info::{build::Fields, Path, Type, TypeInfo};

/// A Starknet field element.
///
/// SCALE: its 32 big-endian bytes. Decoding rejects values that are not below the field prime
/// (a non-canonical encoding would otherwise be silently reduced, and two encodings would mean the
/// same felt).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Felt(pub starknet_types_core::felt::Felt);

impl Felt {
	/// Zero.
	pub const ZERO: Felt = Felt(starknet_types_core::felt::Felt::ZERO);

	/// A constant from hex (`0x…`); the text must be a felt (checked at compile time when used
	/// in a `const`).
	pub const fn from_hex_const(hex: &str) -> Felt {
		Felt(starknet_types_core::felt::Felt::from_hex_unchecked(hex))
	}

	/// Its value if it fits 128 bits.
	pub fn to_u128(&self) -> Option<u128> {
		u128::try_from(self.0).ok()
	}

	/// The felt from its 32 big-endian bytes, if they are below the field prime.
	pub fn from_canonical_bytes(bytes: &[u8; 32]) -> Option<Felt> {
		let felt = starknet_types_core::felt::Felt::from_bytes_be(bytes);
		(felt.to_bytes_be() == *bytes).then_some(Felt(felt))
	}

	/// The 32 big-endian bytes.
	pub fn to_bytes(&self) -> [u8; 32] {
		self.0.to_bytes_be()
	}

	/// One more (modulo the field prime).
	pub fn next(self) -> Felt {
		Felt(self.0 + starknet_types_core::felt::Felt::ONE)
	}

	/// One less, if not zero.
	pub fn prev(self) -> Option<Felt> {
		(self != Felt::ZERO).then(|| Felt(self.0 - starknet_types_core::felt::Felt::ONE))
	}
}

impl core::fmt::Debug for Felt {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		write!(f, "{:#x}", self.0)
	}
}

impl From<starknet_types_core::felt::Felt> for Felt {
	fn from(felt: starknet_types_core::felt::Felt) -> Self {
		Felt(felt)
	}
}

impl From<Felt> for starknet_types_core::felt::Felt {
	fn from(felt: Felt) -> Self {
		felt.0
	}
}

impl From<u128> for Felt {
	fn from(value: u128) -> Self {
		Felt(value.into())
	}
}

impl serde::Serialize for Felt {
	/// As Starknet JSON-RPC writes felts: `0x`-prefixed lowercase hex without leading zeros.
	fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
		serializer.collect_str(&format_args!("{:#x}", self.0))
	}
}

/// At most the first 80 characters of an input quoted back in an error (an error must not echo
/// megabytes of a hostile request).
pub struct Quoted<'a>(pub &'a str);

impl core::fmt::Display for Quoted<'_> {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		const MAX: usize = 80;
		match self.0.char_indices().nth(MAX) {
			None => write!(f, "`{}`", self.0),
			Some((end, _)) => {
				write!(f, "`{}`… ({} bytes)", &self.0[..end], self.0.len())
			}
		}
	}
}

impl<'de> serde::Deserialize<'de> for Felt {
	/// A `0x`-prefixed hex string (at most 64 digits) below the field prime.
	fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
		let text = <alloc::borrow::Cow<'de, str>>::deserialize(deserializer)?;
		Felt::from_hex(&text).ok_or_else(|| {
			serde::de::Error::custom(alloc::format!(
				"not a felt (0x-prefixed hex below the field prime): {}",
				Quoted(&text)
			))
		})
	}
}

impl Felt {
	/// Parses `0x`-prefixed hex (1 to 64 digits), refusing values not below the field prime.
	pub fn from_hex(text: &str) -> Option<Felt> {
		let digits = text.strip_prefix("0x").or_else(|| text.strip_prefix("0X"))?;
		if digits.is_empty() || digits.len() > 64 || !digits.bytes().all(|b| b.is_ascii_hexdigit())
		{
			return None;
		}
		let mut bytes = [0u8; 32];
		let padded = alloc::format!("{digits:0>64}");
		for (i, byte) in bytes.iter_mut().enumerate() {
			*byte = u8::from_str_radix(&padded[2 * i..2 * i + 2], 16).ok()?;
		}
		Felt::from_canonical_bytes(&bytes)
	}
}

impl Encode for Felt {
	fn size_hint(&self) -> usize {
		32
	}

	fn encode_to<T: codec::Output + ?Sized>(&self, dest: &mut T) {
		dest.write(&self.to_bytes());
	}
}

impl Decode for Felt {
	fn decode<I: Input>(input: &mut I) -> Result<Self, CodecError> {
		let bytes = <[u8; 32]>::decode(input)?;
		Felt::from_canonical_bytes(&bytes).ok_or_else(|| "felt not below the field prime".into())
	}
}

impl DecodeWithMemTracking for Felt {}

impl codec::EncodeLike for Felt {}

impl MaxEncodedLen for Felt {
	fn max_encoded_len() -> usize {
		32
	}
}

impl TypeInfo for Felt {
	type Identity = Self;

	fn type_info() -> Type {
		Type::builder()
			.path(Path::new("Felt", module_path!()))
			.docs(&["A Starknet field element: 32 big-endian bytes, below the field prime."])
			.composite(Fields::unnamed().field(|f| f.ty::<[u8; 32]>().type_name("[u8; 32]")))
	}
}

/// The most a transaction may use of one resource, and the most it pays per unit.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Default,
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	MaxEncodedLen,
)]
pub struct ResourceBounds {
	/// Units of the resource (gas).
	pub max_amount: u64,
	/// Price per unit, in the fee token's smallest unit (FRI for V3).
	pub max_price_per_unit: u128,
}

/// The resource bounds a V3 transaction signs.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	MaxEncodedLen,
)]
pub enum ValidResourceBounds {
	/// Before Starknet 0.13.3: L1 gas only (L2 gas bounds are signed as zero). Kept so that older
	/// transactions hash and convert losslessly; RPC 0.10 never broadcasts it.
	L1Gas(ResourceBounds),
	/// L1 gas, L2 gas and L1 data gas: what RPC 0.10 broadcasts.
	AllResources {
		/// L1 gas.
		l1_gas: ResourceBounds,
		/// L2 gas.
		l2_gas: ResourceBounds,
		/// L1 data (blob) gas.
		l1_data_gas: ResourceBounds,
	},
}

impl ValidResourceBounds {
	/// (L1 gas, L2 gas, L1 data gas) bounds; an `L1Gas` bound has zero L2 and L1 data bounds.
	pub fn all(&self) -> [ResourceBounds; 3] {
		match *self {
			ValidResourceBounds::L1Gas(l1_gas) => {
				[l1_gas, ResourceBounds::default(), ResourceBounds::default()]
			}
			ValidResourceBounds::AllResources { l1_gas, l2_gas, l1_data_gas } => {
				[l1_gas, l2_gas, l1_data_gas]
			}
		}
	}

	/// The most the transaction may pay: the sum of each resource's amount × price.
	pub fn max_fee(&self) -> u128 {
		self.all().iter().fold(0u128, |fee, bound| {
			fee.saturating_add(
				u128::from(bound.max_amount).saturating_mul(bound.max_price_per_unit),
			)
		})
	}

	/// Its L2 gas bound (the Sierra gas its execution may use).
	pub fn l2_gas(&self) -> u64 {
		self.all()[1].max_amount
	}
}

/// Where the nonce or fee state of a transaction lives.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	MaxEncodedLen,
)]
pub enum DataAvailabilityMode {
	/// On L1.
	L1,
	/// On L2.
	L2,
}

/// A V3 invoke transaction: a call from an account contract.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, TypeInfo)]
pub struct InvokeTransactionV3 {
	pub resource_bounds: ValidResourceBounds,
	pub tip: u64,
	pub signature: Vec<Felt>,
	pub nonce: Felt,
	pub sender_address: Felt,
	pub calldata: Vec<Felt>,
	pub nonce_data_availability_mode: DataAvailabilityMode,
	pub fee_data_availability_mode: DataAvailabilityMode,
	pub paymaster_data: Vec<Felt>,
	pub account_deployment_data: Vec<Felt>,
	/// Proofs of facts the transaction relies on (Starknet 0.14.x; usually empty).
	pub proof_facts: Vec<Felt>,
}

/// A V3 declare transaction (the class itself travels beside it).
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, TypeInfo)]
pub struct DeclareTransactionV3 {
	pub resource_bounds: ValidResourceBounds,
	pub tip: u64,
	pub signature: Vec<Felt>,
	pub nonce: Felt,
	pub class_hash: Felt,
	pub compiled_class_hash: Felt,
	pub sender_address: Felt,
	pub nonce_data_availability_mode: DataAvailabilityMode,
	pub fee_data_availability_mode: DataAvailabilityMode,
	pub paymaster_data: Vec<Felt>,
	pub account_deployment_data: Vec<Felt>,
}

/// A V3 deploy-account transaction: an account deploying itself.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, TypeInfo)]
pub struct DeployAccountTransactionV3 {
	pub resource_bounds: ValidResourceBounds,
	pub tip: u64,
	pub signature: Vec<Felt>,
	pub nonce: Felt,
	pub class_hash: Felt,
	pub contract_address_salt: Felt,
	pub constructor_calldata: Vec<Felt>,
	pub nonce_data_availability_mode: DataAvailabilityMode,
	pub fee_data_availability_mode: DataAvailabilityMode,
	pub paymaster_data: Vec<Felt>,
}

/// An L1 handler transaction: a message from L1 delivered to an L2 contract.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, TypeInfo)]
pub struct L1HandlerTransaction {
	pub version: Felt,
	pub nonce: Felt,
	pub contract_address: Felt,
	pub entry_point_selector: Felt,
	/// Starts with the L1 sender's address.
	pub calldata: Vec<Felt>,
}

/// Every transaction a Cairn chain executes.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, TypeInfo)]
pub enum Transaction {
	Invoke(InvokeTransactionV3),
	Declare(DeclareTransactionV3),
	DeployAccount(DeployAccountTransactionV3),
	L1Handler(L1HandlerTransaction),
}

pub mod exec;
pub mod genesis;
pub mod host;
pub mod l1;
pub mod runtime_api;
pub mod storage;

impl Transaction {
	/// Its kind.
	pub fn kind(&self) -> exec::TransactionKind {
		match self {
			Transaction::Invoke(_) => exec::TransactionKind::Invoke,
			Transaction::Declare(_) => exec::TransactionKind::Declare,
			Transaction::DeployAccount(_) => exec::TransactionKind::DeployAccount,
			Transaction::L1Handler(_) => exec::TransactionKind::L1Handler,
		}
	}

	/// The account that sends it (the contract an L1 handler runs on); `None` for a
	/// deploy-account, whose address is known only once its class and salt are hashed.
	pub fn sender(&self) -> Option<Felt> {
		match self {
			Transaction::Invoke(tx) => Some(tx.sender_address),
			Transaction::Declare(tx) => Some(tx.sender_address),
			Transaction::DeployAccount(_) => None,
			Transaction::L1Handler(tx) => Some(tx.contract_address),
		}
	}

	/// Its nonce.
	pub fn nonce(&self) -> Felt {
		match self {
			Transaction::Invoke(tx) => tx.nonce,
			Transaction::Declare(tx) => tx.nonce,
			Transaction::DeployAccount(tx) => tx.nonce,
			Transaction::L1Handler(tx) => tx.nonce,
		}
	}

	/// The tip it offers the sequencer (0 for an L1 handler).
	pub fn tip(&self) -> u64 {
		match self {
			Transaction::Invoke(tx) => tx.tip,
			Transaction::Declare(tx) => tx.tip,
			Transaction::DeployAccount(tx) => tx.tip,
			Transaction::L1Handler(_) => 0,
		}
	}

	/// Its resource bounds (`None` for an L1 handler, paid on L1).
	pub fn resource_bounds(&self) -> Option<&ValidResourceBounds> {
		match self {
			Transaction::Invoke(tx) => Some(&tx.resource_bounds),
			Transaction::Declare(tx) => Some(&tx.resource_bounds),
			Transaction::DeployAccount(tx) => Some(&tx.resource_bounds),
			Transaction::L1Handler(_) => None,
		}
	}

	/// Its signature (empty for an L1 handler, which carries none).
	pub fn signature(&self) -> &[Felt] {
		match self {
			Transaction::Invoke(tx) => &tx.signature,
			Transaction::Declare(tx) => &tx.signature,
			Transaction::DeployAccount(tx) => &tx.signature,
			Transaction::L1Handler(_) => &[],
		}
	}

	/// Its signature, to replace (`None` for an L1 handler, which carries none).
	pub fn signature_mut(&mut self) -> Option<&mut Vec<Felt>> {
		match self {
			Transaction::Invoke(tx) => Some(&mut tx.signature),
			Transaction::Declare(tx) => Some(&mut tx.signature),
			Transaction::DeployAccount(tx) => Some(&mut tx.signature),
			Transaction::L1Handler(_) => None,
		}
	}
}
