"""Generated gRPC stubs of proto/mcpcred/v1/agent.proto (the wire contract).

Internal: the public API of the package converts to and from these messages.
Regenerate with client/python/scripts/gen_proto.py; never edit by hand.
"""
