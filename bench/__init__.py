"""Benchmarks: throughput and latency against a stock botbuilder baseline measured in the same run."""
