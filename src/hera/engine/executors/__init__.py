"""How leaf nodes run: host processes (`host`), their private filesystem views (`sandbox`, with the C helper `sandbox.c`) and host equivalents of container images (`images`)."""
