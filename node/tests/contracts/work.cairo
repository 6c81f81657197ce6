// A contract that does as much work as it is asked to: a Cairo loop (`spin`), storage writes
// (`write_many`) and events (`emit_many`), each `n` times. The hostile-input tests fill blocks
// with it. Cairo 2.1 syntax: `scripts/contracts` compiles it with the compiler of PyPI's
// cairo-lang 0.12.3 (the one registry compiler that works here).
#[starknet::contract]
mod work {
    #[storage]
    struct Storage {
        counter: felt252,
        slots: LegacyMap<felt252, felt252>,
    }

    #[event]
    #[derive(Drop, starknet::Event)]
    enum Event {
        Tick: Tick,
    }

    #[derive(Drop, starknet::Event)]
    struct Tick {
        i: felt252,
    }

    #[external(v0)]
    fn spin(ref self: ContractState, n: felt252) -> felt252 {
        let mut i = 0;
        let mut acc = 0;
        loop {
            if i == n {
                break;
            }
            acc = acc + i * i;
            i = i + 1;
        };
        acc
    }

    #[external(v0)]
    fn write_many(ref self: ContractState, n: felt252) {
        let mut i = 0;
        loop {
            if i == n {
                break;
            }
            self.slots.write(i, i + 1);
            i = i + 1;
        };
    }

    #[external(v0)]
    fn emit_many(ref self: ContractState, n: felt252) {
        let mut i = 0;
        loop {
            if i == n {
                break;
            }
            self.emit(Tick { i });
            i = i + 1;
        };
    }
}
