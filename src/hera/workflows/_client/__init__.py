"""The REST client's machinery, shared by WorkflowsService and EventsService (sync and async).

config (arguments, then global_config, then the argo CLI's environment), errors, parsing of answers and
streams, retries, and the in-process transports to the embedded engine's server (`host="local"`).
"""
