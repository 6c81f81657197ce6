// Reads Starknet's block-hash contract through the `get_block_hash` syscall: what a contract sees
// of block `number`'s hash (available from block `number + 10` on). The commitment tests compare
// it with the RPC's block hash. Cairo 2.1 syntax (see `work.cairo`).
#[starknet::contract]
mod block_hash_reader {
    #[storage]
    struct Storage {
        memo: felt252,
    }

    #[external(v0)]
    fn block_hash(self: @ContractState, number: u64) -> felt252 {
        starknet::get_block_hash_syscall(number).unwrap_syscall()
    }

    // The same read inside a transaction, kept in storage (so a block's state diff shows it).
    #[external(v0)]
    fn remember(ref self: ContractState, number: u64) {
        self.memo.write(starknet::get_block_hash_syscall(number).unwrap_syscall());
    }

    #[external(v0)]
    fn remembered(self: @ContractState) -> felt252 {
        self.memo.read()
    }
}
