"""The `hera` command line."""
