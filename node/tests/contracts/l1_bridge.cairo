// An L2 token bridge, the L2 half of the L1 messaging tests: `deposit` is an `l1_handler` that
// credits an account with what an L1 contract sent (its payload: account, amount); `withdraw`
// debits it and sends a message to an L1 address (payload: account, amount), which the L1
// recipient consumes once the block is settled. Remembers who sent the last deposit on L1.
// Cairo 2.1 syntax (scripts/contracts compiles it).
#[starknet::contract]
mod l1_bridge {
    use array::ArrayTrait;
    use array::SpanTrait;
    use traits::Into;
    use starknet::syscalls::send_message_to_l1_syscall;

    #[storage]
    struct Storage {
        balances: LegacyMap<felt252, felt252>,
        deposits: felt252,
        last_l1_sender: felt252,
    }

    #[event]
    #[derive(Drop, starknet::Event)]
    enum Event {
        Deposited: Deposited,
        Withdrawn: Withdrawn,
    }

    #[derive(Drop, starknet::Event)]
    struct Deposited {
        account: felt252,
        amount: felt252,
    }

    #[derive(Drop, starknet::Event)]
    struct Withdrawn {
        account: felt252,
        amount: felt252,
        l1_recipient: felt252,
    }

    #[l1_handler]
    fn deposit(ref self: ContractState, from_address: felt252, account: felt252, amount: felt252) {
        self.balances.write(account, self.balances.read(account) + amount);
        self.deposits.write(self.deposits.read() + 1);
        self.last_l1_sender.write(from_address);
        self.emit(Deposited { account, amount });
    }

    #[external(v0)]
    fn withdraw(ref self: ContractState, l1_recipient: felt252, account: felt252, amount: felt252) {
        let balance: u256 = self.balances.read(account).into();
        assert(balance >= amount.into(), 'balance too low');
        self.balances.write(account, self.balances.read(account) - amount);
        let mut payload = ArrayTrait::new();
        payload.append(account);
        payload.append(amount);
        send_message_to_l1_syscall(l1_recipient, payload.span()).unwrap_syscall();
        self.emit(Withdrawn { account, amount, l1_recipient });
    }

    #[external(v0)]
    fn balance_of(self: @ContractState, account: felt252) -> felt252 {
        self.balances.read(account)
    }

    #[external(v0)]
    fn get_deposits(self: @ContractState) -> felt252 {
        self.deposits.read()
    }

    #[external(v0)]
    fn get_last_l1_sender(self: @ContractState) -> felt252 {
        self.last_l1_sender.read()
    }
}
