// Each collection runs a whole topology (7 processes) on a 2-core machine: one at a time, or the
// zero-failure scenarios measure CPU starvation instead of the gateway.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
