//! The core contract's interface (`client/l1/contracts/CairnCore.sol`), as alloy bindings: the
//! events the follower reads and the calls the node makes.
alloy::sol! {
	#[sol(rpc)]
	contract CairnCore {
		constructor(
			address sequencer_,
			uint256 blockNumber,
			uint256 blockHash,
			uint256 root,
			uint256 cancellationDelay
		);

		event LogMessageToL2(
			address indexed fromAddress,
			uint256 indexed toAddress,
			uint256 indexed selector,
			uint256[] payload,
			uint256 nonce,
			uint256 fee
		);
		event LogStateUpdate(uint256 globalRoot, uint256 blockNumber, uint256 blockHash);

		function stateBlockNumber() external view returns (uint256);
		function stateBlockHash() external view returns (uint256);
		function stateRoot() external view returns (uint256);
		function sequencer() external view returns (address);
		function updateState(
			uint256 blockNumber,
			uint256 blockHash,
			uint256 oldRoot,
			uint256 newRoot,
			bytes32[] calldata messagesToL1,
			bytes32[] calldata messagesToL2Consumed
		) external;
	}
}
