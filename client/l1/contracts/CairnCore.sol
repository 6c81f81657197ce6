// SPDX-License-Identifier: Apache-2.0
//
// Cairn's L1 core contract: the messaging interface of Starknet's core contract (messages to L2
// carried with their fee and nonce, messages from L2 consumed once settled, cancellation of
// messages L2 never took) and the settlement of the chain's state by its sequencer.
//
// Message hashes are Starknet's:
//   to L2:   keccak256(from (L1 address as uint256), to, nonce, selector, payload.length, payload)
//   to L1:   keccak256(from (L2 address), to (L1 address as uint256), payload.length, payload)
// so an L2 `l1_handler` transaction and an L1 consumer compute the same values as on Starknet.
pragma solidity ^0.8.24;

contract CairnCore {
    // ---- messages to L2 -------------------------------------------------------------------
    event LogMessageToL2(
        address indexed fromAddress,
        uint256 indexed toAddress,
        uint256 indexed selector,
        uint256[] payload,
        uint256 nonce,
        uint256 fee
    );
    event ConsumedMessageToL2(bytes32 indexed msgHash);
    event MessageToL2CancellationStarted(
        address indexed fromAddress,
        uint256 indexed toAddress,
        uint256 indexed selector,
        uint256[] payload,
        uint256 nonce
    );
    event MessageToL2Canceled(
        address indexed fromAddress,
        uint256 indexed toAddress,
        uint256 indexed selector,
        uint256[] payload,
        uint256 nonce
    );
    // ---- messages to L1 -------------------------------------------------------------------
    event ConsumedMessageToL1(uint256 indexed fromAddress, address indexed toAddress, uint256[] payload);
    // ---- settlement ------------------------------------------------------------------------
    event LogStateUpdate(uint256 globalRoot, uint256 blockNumber, uint256 blockHash);
    event SequencerChanged(address sequencer);

    uint256 public constant MAX_L1_MSG_FEE = 1 ether;
    // A message's payload is bounded like Starknet's, so that no message costs L2 unbounded work.
    uint256 public constant MAX_PAYLOAD_LENGTH = 1024;

    address public owner;
    address public sequencer;
    uint256 public immutable messageCancellationDelay;

    // Pending messages to L2: hash -> fee + 1 (0: none). Cleared when settlement reports the
    // message consumed on L2, or when its cancellation completes.
    mapping(bytes32 => uint256) public l1ToL2Messages;
    mapping(bytes32 => uint256) public l1ToL2MessageCancellations;
    uint256 public l1ToL2MessageNonce;
    // Settled messages to L1: hash -> how many times it may still be consumed.
    mapping(bytes32 => uint256) public l2ToL1Messages;

    // The last settled state.
    uint256 public stateBlockNumber;
    uint256 public stateBlockHash;
    uint256 public stateRoot;

    constructor(
        address sequencer_,
        uint256 blockNumber,
        uint256 blockHash,
        uint256 root,
        uint256 cancellationDelay
    ) {
        owner = msg.sender;
        sequencer = sequencer_;
        stateBlockNumber = blockNumber;
        stateBlockHash = blockHash;
        stateRoot = root;
        messageCancellationDelay = cancellationDelay;
        emit SequencerChanged(sequencer_);
    }

    function setSequencer(address sequencer_) external {
        require(msg.sender == owner, "ONLY_OWNER");
        sequencer = sequencer_;
        emit SequencerChanged(sequencer_);
    }

    function l1ToL2MessageHash(
        address fromAddress,
        uint256 toAddress,
        uint256 selector,
        uint256[] calldata payload,
        uint256 nonce
    ) public pure returns (bytes32) {
        return keccak256(
            abi.encodePacked(uint256(uint160(fromAddress)), toAddress, nonce, selector, payload.length, payload)
        );
    }

    function l2ToL1MessageHash(uint256 fromAddress, address toAddress, uint256[] calldata payload)
        public
        pure
        returns (bytes32)
    {
        return keccak256(abi.encodePacked(fromAddress, uint256(uint160(toAddress)), payload.length, payload));
    }

    /// Sends a message to the L2 contract `toAddress`, entry point `selector` (an `l1_handler`).
    /// The value sent is the fee paid for its execution on L2.
    function sendMessageToL2(uint256 toAddress, uint256 selector, uint256[] calldata payload)
        external
        payable
        returns (bytes32, uint256)
    {
        require(msg.value > 0, "L1_MSG_FEE_MUST_BE_GREATER_THAN_0");
        require(msg.value <= MAX_L1_MSG_FEE, "MAX_L1_MSG_FEE_EXCEEDED");
        require(payload.length <= MAX_PAYLOAD_LENGTH, "MAX_PAYLOAD_LENGTH_EXCEEDED");
        uint256 nonce = l1ToL2MessageNonce;
        l1ToL2MessageNonce = nonce + 1;
        emit LogMessageToL2(msg.sender, toAddress, selector, payload, nonce, msg.value);
        bytes32 msgHash = l1ToL2MessageHash(msg.sender, toAddress, selector, payload, nonce);
        l1ToL2Messages[msgHash] = msg.value + 1;
        return (msgHash, nonce);
    }

    /// Consumes a message from the L2 contract `fromAddress` to the caller, once a settlement has
    /// carried it.
    function consumeMessageFromL2(uint256 fromAddress, uint256[] calldata payload) external returns (bytes32) {
        bytes32 msgHash = l2ToL1MessageHash(fromAddress, msg.sender, payload);
        require(l2ToL1Messages[msgHash] > 0, "INVALID_MESSAGE_TO_CONSUME");
        emit ConsumedMessageToL1(fromAddress, msg.sender, payload);
        l2ToL1Messages[msgHash] -= 1;
        return msgHash;
    }

    /// Starts the cancellation of a message the caller sent to L2 that L2 has not consumed.
    function startL1ToL2MessageCancellation(
        uint256 toAddress,
        uint256 selector,
        uint256[] calldata payload,
        uint256 nonce
    ) external returns (bytes32) {
        bytes32 msgHash = l1ToL2MessageHash(msg.sender, toAddress, selector, payload, nonce);
        require(l1ToL2Messages[msgHash] > 0, "NO_MESSAGE_TO_CANCEL");
        l1ToL2MessageCancellations[msgHash] = block.timestamp;
        emit MessageToL2CancellationStarted(msg.sender, toAddress, selector, payload, nonce);
        return msgHash;
    }

    /// Completes a cancellation once the delay has passed: the message can no longer be consumed
    /// on L2 (the next settlement that reports it consumed is refused).
    function cancelL1ToL2Message(
        uint256 toAddress,
        uint256 selector,
        uint256[] calldata payload,
        uint256 nonce
    ) external returns (bytes32) {
        bytes32 msgHash = l1ToL2MessageHash(msg.sender, toAddress, selector, payload, nonce);
        require(l1ToL2Messages[msgHash] > 0, "NO_MESSAGE_TO_CANCEL");
        uint256 requestTime = l1ToL2MessageCancellations[msgHash];
        require(requestTime != 0, "MESSAGE_CANCELLATION_NOT_REQUESTED");
        require(block.timestamp >= requestTime + messageCancellationDelay, "MESSAGE_CANCELLATION_NOT_ALLOWED_YET");
        emit MessageToL2Canceled(msg.sender, toAddress, selector, payload, nonce);
        l1ToL2Messages[msgHash] = 0;
        l1ToL2MessageCancellations[msgHash] = 0;
        return msgHash;
    }

    /// Settles the chain up to `blockNumber`: only the sequencer, and only from the last settled
    /// state (`oldRoot` is its root, and the chain moved forward). Records the messages to L1 the
    /// settled blocks sent (consumable from now on) and marks the messages to L2 they consumed.
    function updateState(
        uint256 blockNumber,
        uint256 blockHash,
        uint256 oldRoot,
        uint256 newRoot,
        bytes32[] calldata messagesToL1,
        bytes32[] calldata messagesToL2Consumed
    ) external {
        require(msg.sender == sequencer, "ONLY_SEQUENCER");
        require(oldRoot == stateRoot, "INVALID_PREVIOUS_ROOT");
        require(blockNumber > stateBlockNumber, "INVALID_BLOCK_NUMBER");
        for (uint256 i = 0; i < messagesToL1.length; i++) {
            l2ToL1Messages[messagesToL1[i]] += 1;
        }
        for (uint256 i = 0; i < messagesToL2Consumed.length; i++) {
            bytes32 msgHash = messagesToL2Consumed[i];
            require(l1ToL2Messages[msgHash] > 0, "INVALID_MESSAGE_TO_CONSUME");
            l1ToL2Messages[msgHash] = 0;
            emit ConsumedMessageToL2(msgHash);
        }
        stateBlockNumber = blockNumber;
        stateBlockHash = blockHash;
        stateRoot = newRoot;
        emit LogStateUpdate(newRoot, blockNumber, blockHash);
    }
}
