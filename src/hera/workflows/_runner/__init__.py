"""The runner's implementation (`python -m hera.workflows.runner`): inputs to typed arguments, results to outputs.

Cold start matters here: nothing in this package imports pydantic, typing, inspect or the authoring layer at
start-up. `"hera.workflows._runner" in sys.modules` tells other code that it runs inside a runner process.
"""
