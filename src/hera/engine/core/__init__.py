"""The scheduler's node controllers (steps, DAG, pods, retries, suspend, hooks) and their helpers."""
