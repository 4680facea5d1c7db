"""The use cases: one function or class per thing a user asks of regledger, called by the command line."""

__all__: list[str] = []
