import Testing

/// The suites that start node processes. They run one after another: run side by side, the
/// dozen processes of each would share two cores and turn timing into flakiness.
@Suite(.serialized) enum LiveClusters {}
