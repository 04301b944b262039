"""What tests and benchmarks share: a recording Bot Connector on loopback and builders for incoming activities."""
